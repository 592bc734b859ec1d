"""Open standards read by other people's clients: OGC API - Features, Open Referral HSDS 3.0, Murmurations profiles."""
