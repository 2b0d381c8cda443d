"""PAY-1: one set of payment adapter instances per process, even when the first requests arrive at once. Checkout
compares the chosen adapter with the available ones by identity; two threads building their own sets refused an
order with "This payment method is not available for this order." (found by a concurrent checkout test)."""

import threading

from orders import payment_methods


def test_pay1_threads_arriving_at_once_share_one_set_of_adapters(settings):
    paths = tuple(settings.SHOP_PAYMENT_ADAPTERS)
    payment_methods._built.cache_clear()
    barrier = threading.Barrier(8)
    seen, lock = [], threading.Lock()

    def first_use():
        barrier.wait(timeout=10)
        adapters = payment_methods._adapters(paths)
        with lock:
            seen.append(adapters)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 8
    assert len({id(adapters) for adapters in seen}) == 1
    code, adapter = next(iter(seen[0].items()))
    assert payment_methods.get_adapter(code) is adapter
