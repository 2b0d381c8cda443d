"""A test-only online payment method: the shape of the real adapters, a provider that lives in this process.

It signs nothing with a real provider's scheme (each real adapter has its own tests); it lets the order and payment
services be tested against an online method whose provider answers as the test says."""

import hashlib
import hmac
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse, JsonResponse

from orders.payment_methods import Action, PaymentAdapter, RefundChannel, RefundResult, StatusResult
from payments import services
from payments.events import record
from payments.models import PaymentEvent

TEST_CARD = "tests.payment_doubles.TestCard"
COD = "payments.adapters.cod.CashOnDelivery"
SECRET = b"test-card-secret"


def sign(body: bytes) -> str:
    return hmac.new(SECRET, body, hashlib.sha256).hexdigest()


class TestCard(PaymentAdapter):
    """Online, paid before assembling (confirmed → paid). `refunds` logs what the "provider" was asked to pay back;
    set `refuse_refunds` or `status` on the class to make the provider say no or report a state when polled."""

    code = "testcard"
    label = "Test card"
    online = True
    refund_channel = RefundChannel.CARD
    refunds: list = []
    refuse_refunds = False
    status: StatusResult | None = None

    def start(self, payment, request=None) -> Action:
        return Action(kind="redirect", url=f"/test-provider/{payment.invoice_id}/")

    def handle_notification(self, request, kind):
        body = request.body
        verified = hmac.compare_digest(request.headers.get("X-Test-Signature", ""), sign(body))
        payment = services.find_payment(request.POST.get("invoice", ""))
        if not verified:
            record(adapter=self.code, kind=PaymentEvent.Kind.NOTIFICATION, outcome="forged", payload=body,
                   request=request)
            return HttpResponse(status=403)
        if payment is None:
            record(adapter=self.code, kind=PaymentEvent.Kind.NOTIFICATION, verified=True, outcome="unknown invoice",
                   payload=body, request=request)
            return JsonResponse({"code": 10})
        try:
            amount = Decimal(request.POST.get("amount", ""))
        except InvalidOperation:
            return HttpResponse(status=400)
        outcome = services.record_success(
            payment=payment, amount=amount, currency=request.POST.get("currency", ""),
            transaction_id=request.POST.get("transaction", ""),
        )
        record(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION, verified=True, outcome=outcome.code,
               payload=body, request=request)
        return JsonResponse({"code": 0 if outcome.code in (services.APPLIED, services.DUPLICATE) else 13})

    def refund(self, payment, amount, refund) -> RefundResult:
        TestCard.refunds.append((payment.invoice_id, amount))
        if TestCard.refuse_refunds:
            return RefundResult(ok=False, message="refused by the test provider")
        return RefundResult(ok=True, provider_refund_id=f"R{refund.pk}")

    def fetch_status(self, payment) -> StatusResult:
        return TestCard.status or StatusResult(state="waiting")
