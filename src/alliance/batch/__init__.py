"""The batch engine: evaluations over the whole membership as Ibis expressions on DuckDB."""
