"""Issue 24.2: a DSN password with `#`, `/`, `?`, `[` or `@` is read, masked and scrubbed like any other.

urllib read `#` as a fragment and `/` as a path: the password stood in Settings, doctor and the support
bundle, and `import --sql`, `sync` and `unsubscribers pull` ended in "Port could not be cast to integer".
Everything between `://` and the last `@` is the user part now, in every place (core.dsn)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kufertui.config import Settings, redacted_dict, secret_forms
from kufertui.core.dsn import DsnError, dsn_problem, mask_dsn, parse_dsn, unmask_dsn
from kufertui.core.secrets import scrub

PASSWORDS = ["Sommer2024!#x", "a/b?c[d]", "p@ss@word", "x:y#z/1?", "#", "Ä%25ö", "[::1]"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_any_password_is_read_whole_and_never_shown(password: str) -> None:
    dsn = f"mssql://kuferuser:{password}@db.vhs.local:1500/KUFER"
    read = parse_dsn(dsn)
    assert (read.user, read.host, read.port, read.database) == ("kuferuser", "db.vhs.local", 1500, "KUFER")
    assert read.password == password.replace("%25", "%")  # percent escapes are still decoded
    assert mask_dsn(dsn) == "mssql://kuferuser:********@db.vhs.local:1500/KUFER"
    settings = Settings()
    settings.source.sql_dsn = dsn
    shown = "\n".join([str(redacted_dict(settings)), repr(settings.source)])
    assert password not in shown and "********@db.vhs.local" in shown
    assert password in secret_forms(settings)  # every other text is scrubbed of it too
    assert scrub(f"login failed for {dsn}", secret_forms(settings)).count(password) == 0


def test_a_masked_dsn_edited_keeps_its_password() -> None:
    original = "mssql://kuferuser:Sommer2024!#x@db.vhs.local/KUFER"
    edited = mask_dsn(original).replace("/KUFER", "/KUFER2")
    assert unmask_dsn(edited, original) == "mssql://kuferuser:Sommer2024!#x@db.vhs.local/KUFER2"
    assert unmask_dsn("mssql://kuferuser:neu@db/KUFER", original) == "mssql://kuferuser:neu@db/KUFER"


@pytest.mark.parametrize(("dsn", "part"), [
    ("mssql://kuferuser:Sommer2024!#x@db.vhs.local:abc/KUFER", "port"),
    ("mssql://u:p@db:70000/KUFER", "port"),
    ("mssql://u:p@/KUFER", "host"),
    ("mssql://u:p@db vhs/KUFER", "host"),
    ("oracle://u:p@db/KUFER", "scheme"),
    ("db.vhs.local/KUFER", "form"),
    ("sqlite://relative.db", "form"),
])
def test_what_cannot_be_read_is_named_without_the_password(dsn: str, part: str) -> None:
    with pytest.raises(DsnError) as info:
        parse_dsn(dsn)
    assert info.value.part == part
    assert "Sommer" not in str(info.value) and dsn_problem(dsn) == "config.bad-dsn"


def test_usable_forms() -> None:
    assert parse_dsn("sqlite:///kufer.db").path == "kufer.db"
    assert parse_dsn("mssql://u:p@srv\\SQLEXPRESS/KUFER").host == "srv\\SQLEXPRESS"
    assert parse_dsn("mssql://db.vhs.local/KUFER").port == 1433
    assert parse_dsn(f"mssql://u:{quote('p@ss/w', safe='')}@db/K").password == "p@ss/w"
    assert dsn_problem("") is None
