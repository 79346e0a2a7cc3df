"""`python -m generator`: run the command line, then leave without tearing the interpreter down.

Freeing every module and object at exit (boto3's service models, pydantic's validators, a parsed
plan) adds a tenth of a second or more to every command, after its work is done and written
(measured by `make bench`, warm `make plan`). Once the command has returned and only this thread
is left, nothing remains to be finished but flushing: stdio and logging's handlers are flushed,
then the process exits at once. With any other thread still running, Python exits as usual and
waits for it.
"""

import os
import sys
import threading

from generator.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
if "logging" in sys.modules:
    sys.modules["logging"].shutdown()
if all(t is threading.main_thread() or t.daemon for t in threading.enumerate()):
    os._exit(code)
raise SystemExit(code)
