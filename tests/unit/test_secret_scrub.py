"""Issue 17.2: credentials are scrubbed in every encoding they are sent in, and settings saved
with environment overrides write the file's values back, not the environment's."""

from __future__ import annotations

import base64
import tomllib
from pathlib import Path

import pytest

from kufertui.config import Secret, load_settings, save_settings, secret_forms
from kufertui.core import secrets
from kufertui.maileon.options import ClientOptions


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_proxy_url_credentials_in_all_wire_forms() -> None:
    options = ClientOptions(api_key="k3y-0123456789", proxy="http://kufer:p%40ss%20w@proxy:3128")
    forms = set(options.secret_forms())
    assert {"p@ss w", "p%40ss%20w", "p%40ss+w", b64("kufer:p@ss w"), "k3y-0123456789", b64("k3y-0123456789"),
            b64("k3y-0123456789:")} <= forms
    text = f"echo: Proxy-Authorization: Basic {b64('kufer:p@ss w')} Authorization: Basic {b64('k3y-0123456789')}"
    assert secrets.scrub(text, forms) == "echo: Proxy-Authorization: Basic ******** Authorization: Basic ********"


def test_settings_secret_forms_cover_proxy_and_dsn() -> None:
    from kufertui.config import Settings

    s = Settings()
    s.proxy.host, s.proxy.user, s.proxy.password = "proxy", "kufer", Secret("pw:1/2")
    s.source.sql_dsn = "mssql://sa:db%3Apw@sql/kufer"
    forms = secret_forms(s)
    assert b64("kufer:pw:1/2") in forms and "pw%3A1%2F2" in forms and "db:pw" in forms and "db%3Apw" in forms
    assert "db%3Apw" not in repr(s) and "mssql://sa:********@sql/kufer" in repr(s)  # tracebacks show reprs


def test_mask_and_unmask_dsn_password() -> None:
    from kufertui.core.dsn import mask_dsn, unmask_dsn

    dsn = "mssql://sa:db%40pw@sql:1433/kufer"
    masked = mask_dsn(dsn)
    assert masked == "mssql://sa:********@sql:1433/kufer"
    assert unmask_dsn(masked.replace("@sql:", "@sql2:"), dsn) == "mssql://sa:db%40pw@sql2:1433/kufer"
    assert unmask_dsn("mssql://sa:new@sql/kufer", dsn) == "mssql://sa:new@sql/kufer"


def test_save_writes_back_the_file_value_not_the_environment(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\napi_key = "file-key"\nbatch_size = 100\n[proxy]\nuser = "kufer"\n',
                    encoding="utf-8")
    monkeypatch.setenv("KUFERTUI_API_KEY", "env-key-secret")
    monkeypatch.setenv("KUFERTUI_PROXY__PASSWORD", "env-proxy-secret")
    monkeypatch.setenv("KUFERTUI_MAILEON__BATCHES_IN_FLIGHT", "2")
    settings = load_settings(path)
    assert settings.maileon.api_key.get() == "env-key-secret"
    settings.maileon.batch_size = 200
    save_settings(settings, path)
    raw = path.read_text(encoding="utf-8")
    assert "env-key-secret" not in raw and "env-proxy-secret" not in raw
    data = tomllib.loads(raw)
    assert data["maileon"]["api_key"] == "file-key" and data["maileon"]["batch_size"] == 200
    assert "password" not in data["proxy"] and "batches_in_flight" not in data["maileon"]
    assert load_settings(path).maileon.api_key.get() == "env-key-secret"  # the environment still wins


def test_every_place_hides_a_secret_behind_the_one_mask() -> None:
    """Settings, client options, proxy URLs, server texts, DSNs: one mask (core/secrets.py), so a helpdesk reading
    a screen, a log and a bundle side by side sees one sign for "set, not shown"."""
    from kufertui.core.dsn import mask_dsn
    from kufertui.core.secrets import MASK
    from kufertui.maileon.options import ClientOptions, mask_proxy_url
    from kufertui.maileon.transport import Http

    key = "key-0123456789abcdef"
    assert Secret(key).masked(tail=True) == MASK + "cdef" and Secret("pw").masked() == MASK
    assert repr(Secret(key)) == f"Secret({MASK!r})"
    options = ClientOptions(api_key=key, proxy="http://kufer:pr0xy-pw@proxy.vhs.local:3128")
    assert f"api_key='{MASK}cdef'" in repr(options) and f"kufer:{MASK}@proxy.vhs.local:3128" in repr(options)
    assert mask_proxy_url("http://u:p@h:1") == f"http://u:{MASK}@h:1"
    assert Http(options).scrub(f"echo {key} and pr0xy-pw") == f"echo {MASK} and {MASK}"
    assert mask_dsn("mssql://sa:pw@sql/kufer") == f"mssql://sa:{MASK}@sql/kufer"
