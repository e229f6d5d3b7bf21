"""The one response for a private file (attachments, scans, certificates, receipts, resolutions, letters, PDFs).

Called only after the view's permission check. The browser is told the stored type (never sniffs another),
keeps no copy, and runs nothing in a file shown inline; the download name ends in the stored type's extension.

The file is read through its storage, wherever that keeps it (the local disk or an object store,
alliance/storage.py), and streamed: never read whole into the web process first.
"""

import io

from django.http import FileResponse, Http404

from .uploads import EXTENSIONS, SIGNATURE_BYTES, type_by_signature


def stored_file_stream(fieldfile):
    """(file-like, size in bytes or None) of a stored file, read through its storage; Http404 when there is none.

    None leaves the size to FileResponse, which measures a local file itself."""
    if not fieldfile:
        raise Http404
    storage = fieldfile.storage
    try:
        if hasattr(storage, "open_stream"):
            return storage.open_stream(fieldfile.name)
        return storage.open(fieldfile.name, "rb"), None
    except OSError:
        raise Http404 from None


class _Peeked(io.RawIOBase):
    """A stream whose first bytes were already read (to tell its type), read again from the start."""

    def __init__(self, head, rest):
        super().__init__()
        self._head, self._rest = head, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._head[:len(buffer)] or self._rest.read(len(buffer))
        self._head = self._head[len(data):]
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self._rest.close()
        super().close()


def _response(handle, size, **kwargs):
    response = FileResponse(handle, **kwargs)
    if size is not None:
        response["Content-Length"] = str(size)
    return response


def stored_file_response(fieldfile, **kwargs):
    """A FileResponse streaming the stored file, with its length when the storage knows it."""
    return _response(*stored_file_stream(fieldfile), **kwargs)


def private_file_response(fieldfile, *, filename, content_type=None, inline=False):
    """fieldfile streamed as filename (its extension set from content_type); 404 when there is no file.

    Without ``content_type``, the type its first bytes name, read from the one stream that is sent (a file's whole
    content was checked when it was uploaded, alliance/uploads.py); 404 when they name none."""
    handle, size = stored_file_stream(fieldfile)
    if content_type is None:
        head = handle.read(SIGNATURE_BYTES)
        content_type = type_by_signature(head)
        if content_type is None:
            handle.close()
            raise Http404
        handle = _Peeked(head, handle)
    extension = EXTENSIONS.get(content_type, "")
    if extension and not filename.lower().endswith(extension):
        filename = filename.rsplit(".", 1)[0] + extension if "." in filename else filename + extension
    response = _response(handle, size, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
