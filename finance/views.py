from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alliance.downloads import private_file_response

from . import selectors


@login_required
def my_invoices(request):
    return render(request, "finance/my_invoices.html", {
        "invoices": selectors.invoice_list_for_user(user=request.user),
        "contributions": selectors.cost_contributions_for_user(user=request.user),
    })


@login_required
def receipt_download(request, pk):
    receipt = selectors.receipt_get_for_user(user=request.user, pk=pk)
    return private_file_response(receipt.file, filename=f"{receipt.number}.pdf", content_type="application/pdf")
