"""Convert Word documents to PDF with LibreOffice, and read the PDF's text page by page.

Each conversion gets its own LibreOffice profile directory: parallel or repeated runs then
never share (or lock) a profile, and no user settings leak into what the test sees.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


requires_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)


def docx_to_pdf(docx_bytes: bytes, tmp_path: Path, name: str = "document") -> Path:
    """Write ``docx_bytes`` under ``tmp_path``, convert it, and return the PDF's path."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    source = tmp_path / f"{name}.docx"
    source.write_bytes(docx_bytes)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [
                binary,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    pdf = tmp_path / f"{name}.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise RuntimeError(
            f"LibreOffice could not convert {source.name}: {result.stdout} {result.stderr}"
        )
    return pdf


def pdf_text(path: Path) -> list[str]:
    """The text of each page of the PDF at ``path``, in page order."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdf_to_png(path: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """Render each page to a PNG with pdftoppm, for looking at a document."""
    prefix = out_dir / path.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(path), str(prefix)],
        check=True,
        timeout=TIMEOUT_SECONDS,
        capture_output=True,
    )
    return sorted(out_dir.glob(f"{path.stem}-*.png"))
