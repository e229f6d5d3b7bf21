from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from . import selectors


@login_required
def my_invoices(request):
    return render(request, "finance/my_invoices.html", {"invoices": selectors.invoice_list_for_user(user=request.user)})


@login_required
def receipt_download(request, pk):
    receipt = selectors.receipt_get_for_user(user=request.user, pk=pk)
    return FileResponse(receipt.file.open("rb"), as_attachment=True, filename=f"{receipt.number}.pdf",
                        content_type="application/pdf")
