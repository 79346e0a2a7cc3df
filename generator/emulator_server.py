"""Entry point of the embedded AWS emulator: moto's server, on loopback only.

Started as its own process by `generator.emulator` (`python -m generator.emulator_server`).
Local-harness adjustments to moto belong in `generator.emulator_patches`, applied here before
the server starts, so they can never leak into a run against real AWS.
"""

from __future__ import annotations

import argparse
import logging


def main() -> None:
    parser = argparse.ArgumentParser(description="Embedded AWS emulator (moto) for the local environment")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    from generator import emulator_patches

    emulator_patches.apply()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    try:
        server._thread.join()  # serve until the process is terminated
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
