"""An export with a progress dialog (Cancel), asking before it replaces a file: every GUI export runs here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from explainer.export import ExportCancelled, ExportError, output_kind, split_folder
from explainer.export.split import check_split_replaceable, split_exists
from explainer.export.targets import check_replaceable, target_exists
from explainer.i18n import _
from explainer.model import AttentionModel

from .export_job import ExportOptions, export

__all__ = ["Status", "run_with_progress"]

Status = Callable[[str, int], None]  # a transient message (text, milliseconds)


def run_with_progress(
    parent: QWidget,
    model: AttentionModel,
    path: Path,
    options: ExportOptions,
    status: Status,
    export_with: Callable[..., Path] = export,
) -> bool:
    """Export with a progress dialog; ask before replacing a file. True when a file was written.

    With ``options.split`` what is written, asked about and said is the folder of one file per step.
    ``export_with`` renders and writes (``export``'s arguments); a learning run passes its own.
    """
    try:
        target = split_folder(path) if options.split else path
        # A device, a folder of documents …: never asked, never replaced.
        if options.split:
            check_split_replaceable(target)
        else:
            check_replaceable(path, output_kind(path))
    except ValueError as error:
        QMessageBox.warning(
            parent, _("Export"), _("Nothing was written to {path}:\n{error}").format(path=path, error=error)
        )
        return False
    if split_exists(target) if options.split else target_exists(path):
        answer = QMessageBox.question(
            parent, _("Export"), _("{name} exists. Replace it?").format(name=target.name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        options.force = True
    dialog = QProgressDialog(_("Exporting {name}…").format(name=path.name), _("Cancel"), 0, 100, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(
            _("Exporting {name}: frame {done} of {total}").format(name=path.name, done=done, total=total)
        )

    try:
        written = export_with(model, path, options, progress, dialog.wasCanceled, keep_responsive=True)
    except ExportCancelled:
        return False
    except (ValueError, ExportError, OSError) as error:
        QMessageBox.warning(
            parent, _("Export"), _("Nothing was written to {path}:\n{error}").format(path=path, error=error)
        )
        return False
    finally:
        dialog.close()
    if options.split:
        status(
            _("Wrote {n} files into {folder}").format(n=len(list(written.iterdir())), folder=written), 8000
        )
    else:
        status(_("Wrote {path}").format(path=written), 8000)
    return True
