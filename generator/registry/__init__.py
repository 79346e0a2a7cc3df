"""Talking to the private registry: digest pinning (`registry pin`) and pre-flight (`registry check`).

`client` speaks the Docker Registry HTTP API V2 (basic and bearer-token auth), `credentials`
finds the login an environment's SageMaker would use, `pin` rewrites tag references in the
catalog to digests, `check` verifies that an environment's registries are fit for SageMaker.

May import `common`, `catalog` and `emulator` (the local environment's secret lives in the
running emulator).
"""
