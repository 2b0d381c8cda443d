"""PAY-4 polling back-off and PAY-2/PAY-3 masking of what the event log keeps: pure functions, no database."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from payments.events import MASK, masked
from payments.policy import next_check_delay


def test_pay4_a_fresh_invoice_is_asked_about_often_then_less_often():
    delays = [next_check_delay(n) for n in range(10)]
    assert delays[0] == timedelta(seconds=5)
    assert delays == sorted(delays)  # never sooner after more asks
    assert delays[-1] == timedelta(seconds=60)  # capped: a slow payer is still noticed within a minute


@given(st.integers(min_value=-5, max_value=10_000))
def test_pay4_the_back_off_is_always_between_five_seconds_and_a_minute(checks):
    assert timedelta(seconds=5) <= next_check_delay(checks) <= timedelta(seconds=60)


def test_pay2_a_full_card_number_anywhere_in_a_payload_is_cut_to_first_six_and_last_four():
    assert masked("paid with 4405645000006150 today") == "paid with 440564******6150 today"


def test_pay3_secrets_in_json_form_and_nested_payloads_are_masked():
    assert MASK in masked('{"secret_hash": "abc", "amount": 10}') and "abc" not in masked('{"secret_hash": "abc"}')
    assert masked("Token=t0k&Amount=5") == "Token=%2A%2A%2A&Amount=5"
    assert "999" not in masked({"Data": {"CVC": "999"}})
    assert masked(b"") == "" and masked(None) == ""
