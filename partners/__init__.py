"""Partner sites: API tokens (personal and organisation, scoped, hashed), their throttles, and their account pages."""
