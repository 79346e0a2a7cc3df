"""The inputs: the catalog and environment files as typed models (`models`), read safely (`yamlio`),
loaded, merged per environment and cross-checked (`loader`), turned into messages that name file,
field and fix (`problems`), exported as JSON Schemas for editors (`schema`), and held against AWS's
quotas (`quotas`).

May import `generator.common` only.
"""
