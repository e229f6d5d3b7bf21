"""The one response for a private file (attachments, scans, certificates, receipts, resolutions, letters, PDFs).

Called only after the view's permission check. The browser is told the stored type (never sniffs another),
keeps no copy, and runs nothing in a file shown inline; the download name ends in the stored type's extension.
"""

from django.http import FileResponse, Http404

from .uploads import EXTENSIONS


def private_file_response(fieldfile, *, filename, content_type, inline=False):
    """fieldfile streamed as filename (its extension set from content_type); 404 when there is no file."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except OSError:
        raise Http404 from None
    extension = EXTENSIONS.get(content_type, "")
    if extension and not filename.lower().endswith(extension):
        filename = filename.rsplit(".", 1)[0] + extension if "." in filename else filename + extension
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
