"""The embedded AWS of the local environment: start, seed and stop a moto server (`launcher`), the
server process itself (`server`), the local-only adjustments to moto (`patches`) and the answer
replayed to an SDK retry whose first attempt's answer the client lost (`replay`).

moto, flask and waitress come from the optional `emulator` extra and are imported only by `server` and
`patches`, inside the server process. May import `common` and `catalog`.
"""
