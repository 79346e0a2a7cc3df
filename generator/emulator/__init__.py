"""The embedded AWS of the local environment: start, seed and stop a moto server (`launcher`), the
server process itself (`server`) and the local-only adjustments to moto (`patches`).

moto, flask and waitress come from the optional `emulator` extra and are imported only by `server` and
`patches`, inside the server process. May import `common` and `catalog`.
"""
