"""After the order is placed (ORD-5..7): the status transitions and the customer's mails."""
