"""Issue 24.3: a file we replace is written through a new file of our own, never through one another user
planted. `save_settings` opened `config.toml.tmp` with O_CREAT|O_TRUNC: a pre-created one left its creator
owning the file with the API key, a symlink there clobbered any file. Every writer now creates its temporary
file exclusively with an unpredictable name (platform.AtomicFile), and a folder other users may write is
refused unless it is sticky and the file is ours."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kufertui import i18n, platform
from kufertui.config import Secret, Settings, save_settings
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.writeback import WritebackRow, write_unsubscribers_csv
from kufertui.simulator import SimState
from kufertui.sync.bundle import build_bundle
from kufertui.sync.internals.upload_file import UploadFileWriter

pytestmark = pytest.mark.skipif(os.name != "posix", reason="folder modes and symlinks are POSIX")

KEY = "settings-key-0123456789abcdef"


def _settings(path: Path) -> None:
    settings = Settings()
    settings.maileon.api_key = Secret(KEY)
    save_settings(settings, path)


def _writeback(path: Path) -> None:
    write_unsubscribers_csv(path, [WritebackRow("a@b.de", "1")])


def _profile(path: Path) -> None:
    MappingProfile(mapping={"E-Mail": "email"}).save(path)


def _simulator_state(path: Path) -> None:
    SimState.with_key("k").save(path)


def _bundle(path: Path) -> None:
    build_bundle(Settings(), path.parent.parent / "none.toml", path.parent.parent / "ws", path)


def _upload_file(path: Path) -> None:
    UploadFileWriter(path).close(complete=True)


# (writer, the file it writes, the temporary name it used before: predictable, opened without O_EXCL)
WRITERS: list[tuple[Callable[[Path], None], str, str]] = [
    (_settings, "config.toml", "config.toml.tmp"),
    (_writeback, "kufer-abmelder.csv", ""),
    (_profile, "export.toml", "export.toml.tmp"),
    (_simulator_state, "sim.json", "sim.json.tmp"),
    (_bundle, "support.zip", ""),
    (_upload_file, "maileon-upload.xml", "maileon-upload.xml.part"),
]
IDS = [w[1] for w in WRITERS]


@pytest.mark.parametrize(("write", "name", "old_tmp"), WRITERS, ids=IDS)
def test_a_planted_temporary_file_or_symlink_is_never_written_through(
        tmp_path: Path, write: Callable[[Path], None], name: str, old_tmp: str) -> None:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    if old_tmp:
        (folder / old_tmp).symlink_to(victim)  # what another user (or an accident) left at the old name
    write(folder / name)
    assert victim.read_text(encoding="utf-8") == "precious"
    written = folder / name
    assert written.is_file() and not written.is_symlink()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp") and p.name != old_tmp] == []


@pytest.mark.parametrize(("write", "name", "old_tmp"), WRITERS, ids=IDS)
def test_a_folder_other_users_may_write_is_refused_clearly(
        tmp_path: Path, write: Callable[[Path], None], name: str, old_tmp: str) -> None:
    del old_tmp
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)  # anyone may create, rename or delete here
    i18n.set_language("en")
    try:
        with pytest.raises(platform.SharedFolder) as info:
            write(folder / name)
    finally:
        i18n.set_language("de")
    assert info.value.hint_id == "shared-folder" and isinstance(info.value, PermissionError)
    assert str(folder) in str(info.value) and "chmod go-w" in str(info.value)
    assert not (folder / name).exists() and list(folder.iterdir()) == []


def test_a_sticky_folder_is_fine_while_the_file_is_ours(tmp_path: Path) -> None:
    folder = tmp_path / "tmp-like"
    folder.mkdir()
    os.chmod(folder, 0o1777)  # like /tmp: others may create files, but not replace ours
    config = folder / "config.toml"
    _settings(config)
    _settings(config)  # and replace it again
    assert KEY in config.read_text(encoding="utf-8")
    if os.geteuid() == 0:  # only root can hand a file to another user here
        foreign = folder / "planted.toml"
        foreign.write_text("", encoding="utf-8")
        os.chown(foreign, 4242, 4242)
        with pytest.raises(platform.SharedFolder):
            _settings(foreign)
        assert foreign.read_text(encoding="utf-8") == ""


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), platform.AtomicFile(target, "w", encoding="utf-8") as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["keep.csv"]
