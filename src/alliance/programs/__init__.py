"""Program definitions: data (YAML) validated by a pydantic schema into typed objects.

* :mod:`alliance.programs.schema` — the schema (root: ``ProgramDefinition``);
* :mod:`alliance.programs.loader` — ``load_program`` / ``validate_program_file``;
* :mod:`alliance.programs.registry` — built-ins plus a vendor folder, by code;
* ``builtin/*.yaml`` — OPN, PEX, MCPP, OIP and OSR (see SPEC.md).
"""
