"""The one response for a private file (attachments, scans, certificates, receipts, resolutions, letters, PDFs).

Called only after the view's permission check. The browser is told the stored type (never sniffs another),
keeps no copy, and runs nothing in a file shown inline; the download name ends in the stored type's extension.

The file is read through its storage, wherever that keeps it (the local disk or an object store,
alliance/storage.py), and streamed: never read whole into the web process first.
"""

from django.http import FileResponse, Http404

from .uploads import EXTENSIONS


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


def stored_file_response(fieldfile, **kwargs):
    """A FileResponse streaming the stored file, with its length when the storage knows it."""
    handle, size = stored_file_stream(fieldfile)
    response = FileResponse(handle, **kwargs)
    if size is not None:
        response["Content-Length"] = str(size)
    return response


def private_file_response(fieldfile, *, filename, content_type, inline=False):
    """fieldfile streamed as filename (its extension set from content_type); 404 when there is no file."""
    extension = EXTENSIONS.get(content_type, "")
    if extension and not filename.lower().endswith(extension):
        filename = filename.rsplit(".", 1)[0] + extension if "." in filename else filename + extension
    response = stored_file_response(fieldfile, content_type=content_type, as_attachment=not inline,
                                    filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
