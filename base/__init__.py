"""The shared base below every app: money, the working-day calendar, rate limits, exports, mail, origin checks."""
