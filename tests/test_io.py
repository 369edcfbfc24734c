import pytest

from partnerlib.io.atomic import atomic_path, atomic_write_text


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "out.txt"
    atomic_write_text(path, "old")
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failure_mid_write_leaves_old_file(tmp_path):
    path = tmp_path / "out.txt"
    atomic_write_text(path, "old")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_written_files_get_normal_permissions_not_the_temp_files(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "new.txt", "x")
        assert path.stat().st_mode & 0o777 == 0o644
        os.chmod(path, 0o640)
        atomic_write_text(path, "y")
        assert path.stat().st_mode & 0o777 == 0o640 and path.read_text() == "y"
    finally:
        os.umask(old)


def test_a_full_disk_names_the_file_being_written_and_leaves_no_temporary(tmp_path, monkeypatch):
    import errno
    import os

    path = tmp_path / "report" / "index.html"
    atomic_write_text(path, "old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    # Before, the message was "[Errno 28] No space left on device" with no file at all.
    with pytest.raises(OSError) as err:
        atomic_write_text(path, "new")
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(path)
    assert str(err.value) == f"[Errno 28] could not write the file (No space left on device): '{path}'"
    assert path.read_text() == "old" and [p.name for p in path.parent.iterdir()] == ["index.html"]
