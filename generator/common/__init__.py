"""Shared helpers at the bottom of the house: the one error type (`errors`), generated-file writing
(`files`), the repository's layout (`layout`), the names Terraform gives by convention (`naming`)
and the input rules shared with Terraform (`rules`).

Imports nothing from the rest of `generator`; every other package may import it.
"""
