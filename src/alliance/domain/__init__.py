"""Pure business rules: dataclasses, enums and Decimal. No I/O, no framework imports."""
