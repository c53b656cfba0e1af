"""The registry: built-ins, a vendor folder that overrides them by code, helpful misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.domain.errors import InvalidInput, NotFound
from alliance.programs.registry import ProgramRegistry, builtin_programs

BUILTIN_OPN = Path(__file__).parents[3] / "src" / "alliance" / "programs" / "builtin" / "opn.yaml"

VENDOR = """\
code: {code}
name: {name}
version: "7"
effective_date: 2026-03-01
kind: customer_rewards
source: our own program
"""


def write(folder: Path, file: str, code: str, name: str = "Vendor program") -> Path:
    path = folder / file
    path.write_text(VENDOR.format(code=code, name=name))
    return path


def test_builtins_are_read_from_the_package() -> None:
    assert [p.code for p in builtin_programs()] == ["mcpp", "oip", "opn", "osr", "pex"]


def test_a_vendor_program_joins_the_builtins(tmp_path: Path) -> None:
    write(tmp_path, "acme.yaml", "acme")
    registry = ProgramRegistry.load(tmp_path)
    assert "acme" in registry and len(registry) == 6
    entry = registry.entry("acme")
    assert (entry.origin, entry.source) == ("vendor", str(tmp_path / "acme.yaml"))


def test_a_vendor_file_with_a_builtin_code_overrides_it(tmp_path: Path) -> None:
    write(tmp_path, "my-opn.yml", "opn", name="Our OPN")
    registry = ProgramRegistry.load(tmp_path)
    assert registry.get("opn").name == "Our OPN"
    assert registry.entry("opn").origin == "vendor"


def test_the_content_hash_follows_the_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "acme.yaml", "acme")
    before = ProgramRegistry.load(tmp_path).entry("acme").content_hash
    path.write_text(path.read_text() + "# a comment changes the hash\n")
    after = ProgramRegistry.load(tmp_path).entry("acme").content_hash
    assert before != after


def test_an_unknown_code_lists_the_known_ones() -> None:
    with pytest.raises(NotFound) as caught:
        ProgramRegistry.load().get("opm")
    assert caught.value.message == (
        "no program with code 'opm'; known programs: mcpp, oip, opn, osr, pex"
    )


def test_an_invalid_vendor_file_is_refused_with_its_problems(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", "good")
    (tmp_path / "bad.yaml").write_text("code: bad\n")
    with pytest.raises(InvalidInput) as caught:
        ProgramRegistry.load(tmp_path)
    assert {p.location for p in caught.value.problems} == {"bad.yaml:1"}


def test_two_vendor_files_with_one_code_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "twin")
    write(tmp_path, "b.yaml", "twin")
    with pytest.raises(InvalidInput, match="duplicate program codes"):
        ProgramRegistry.load(tmp_path)


def test_a_missing_vendor_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        ProgramRegistry.load(tmp_path / "nowhere")


def test_the_builtin_file_exists_where_the_package_data_says() -> None:
    """pyproject's package-data ships programs/builtin/*.yaml."""
    assert BUILTIN_OPN.is_file()
