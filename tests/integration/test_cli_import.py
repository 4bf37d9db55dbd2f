"""`kufertui import`: a Windows-1252 KUFER CSV shows umlauts and status counts; SQL source through SQLite."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from kufertui.config import Settings, save_settings

KUFER_CSV = ("TNR;Anrede;Vorname;Name;E-Mail;Geschlecht;Newsletter\r\n"
             "1;Frau;Jörg;Weiß;joerg.weiss@vhs-beispiel.de;M;J\r\n"
             "2;Herr;Ömer;Özdemir;oemer@vhs-beispiel.de;M;K\r\n"
             "3;Frau;Anna;Müller;;W;J\r\n"
             "4;Frau;Käthe;Groß;kaethe@vhs-beispiel.de;W;N\r\n"
             "5;;Lea;Brandt;lea@vhs-beispiel.de;;\r\n")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "kufertui", "--workspace", str(tmp_path / "ws"), *args],
                          env=env, capture_output=True, text=True, timeout=60)


def test_windows_1252_csv_shows_umlauts_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "kufer.csv"
    path.write_bytes(KUFER_CSV.encode("cp1252"))
    proc = run(tmp_path, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Weiß" not in out  # names are not echoed, but the mapping and the counts are
    assert "E-Mail" in out and "Newsletter-Status" in out
    assert "J 1 · K 1 · leer 1 · N 1" in out
    assert "Zeile 4: keine E-Mail-Adresse" in out
    proc = run(tmp_path, "--lang", "en", "import", str(path), "--json")
    data = json.loads(proc.stdout)
    assert data["source"]["encoding"] in ("cp1252", "windows-1252")
    assert data["unchanged"] == 4 and data["rejected"][0]["line"] == 4
    # the detected mapping was saved as an editable profile; importing with it gives the same result
    profile = Path(data["profile"])
    assert profile.exists() and "Newsletter" in profile.read_text(encoding="utf-8")
    proc = run(tmp_path, "--lang", "en", "import", str(path), "--profile", str(profile), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["unchanged"] == 4


def test_import_from_sql_with_aliases(tmp_path: Path) -> None:
    db = tmp_path / "kufer.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE pers (tnr TEXT, vname TEXT, zuname TEXT, mail TEXT, nl TEXT)")
    conn.executemany("INSERT INTO pers VALUES (?,?,?,?,?)", [("7", "Jörg", "Weiß", "jw@vhs.de", "J"),
                                                             ("8", "Ute", "Groß", "ug@vhs.de", "N")])
    conn.commit()
    conn.close()
    settings = Settings()
    settings.source.kind = "sql"
    settings.source.sql_dsn = f"sqlite:///{db}"
    settings.source.sql_query = ("SELECT tnr AS TNR, vname AS Vorname, zuname AS Nachname, mail AS [E-Mail], "
                                 "nl AS Newsletter FROM pers")
    config = save_settings(settings, tmp_path / "config.toml")
    proc = run(tmp_path, "--config", str(config), "--lang", "en", "import", "--sql", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["inserted"] == 2 and data["by_status"]["N"] == 1


def test_import_errors_are_clear(tmp_path: Path) -> None:
    proc = run(tmp_path, "import", str(tmp_path / "missing.csv"))
    assert proc.returncode == 2 and "gibt es nicht" in proc.stderr
    proc = run(tmp_path, "--lang", "en", "import", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in proc.stderr
    (tmp_path / "nomail.csv").write_text("Name;Vorname\nA;B\n", encoding="utf-8")
    proc = run(tmp_path, "--lang", "en", "import", str(tmp_path / "nomail.csv"))
    assert proc.returncode == 2 and "no e-mail column" in proc.stderr and "Name" in proc.stderr


def test_import_json_escapes_c1_controls_and_bidi_overrides(tmp_path: Path) -> None:
    """Issue 24.6: `import --json` printed raw C1 controls (U+009B is CSI, U+009D OSC) and bidi overrides from
    headers and cells; a terminal showing the JSON acts on them. They are \\u escapes now: same JSON value."""
    header = "E-Mail;Newsletter;\u202eetoN;Bem\x9b31m\u2066"
    path = tmp_path / "hostile.csv"
    path.write_text(f"{header}\r\na@b.de;J;x;y\r\nc@d.de;\x9d0;evil\x9c;z\u202e\r\n", encoding="utf-8")
    proc = run(tmp_path, "--lang", "en", "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    raw = proc.stdout
    unsafe = [ch for ch in raw if 0x7F <= ord(ch) <= 0x9F or ch in "\u200e\u200f\u2028\u2029"
              or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069]
    assert unsafe == [], unsafe
    data = json.loads(raw)  # still JSON, and the values are what the file holds
    assert "\u202eetoN" in data["source"]["unmapped"] and "Bem\x9b31m\u2066" in data["source"]["unmapped"]
    assert "\\u009b" in raw and "\\u202e" in raw


def test_a_file_that_is_no_export_is_named_so_not_listed_as_columns(tmp_path: Path) -> None:
    """Issue 26.7: random bytes, a PNG and a ZIP are refused as what they are, in both languages."""
    import random
    import zipfile

    garbage = tmp_path / "random.bin"
    garbage.write_bytes(random.Random(26).randbytes(20_000).lstrip(b"<"))
    png = tmp_path / "foto.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    archive = tmp_path / "kontakte.csv"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("kontakte.csv", "E-Mail;Newsletter\na@b.de;J\n")
    for path, german in ((garbage, "enthält Binärdaten statt Text"), (png, "sondern eine PNG-Datei"),
                         (archive, "sondern eine ZIP-Datei")):
        proc = run(tmp_path, "import", str(path))
        assert proc.returncode == 2
        assert "ist kein CSV- oder XML-Export aus KUFER" in proc.stderr and german in proc.stderr
        assert "Gefundene Spalten" not in proc.stderr + proc.stdout
        doc = json.loads(run(tmp_path, "--lang", "en", "import", str(path), "--json").stdout)
        assert doc["error"] in ("import.fail.binary-file", "import.fail.not-an-export")
        assert doc["hint_id"] == "import-failed" and "is not a CSV or XML export from KUFER" in doc["message"]
