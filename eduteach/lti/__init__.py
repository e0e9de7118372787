"""LTI 1.3 protocol: OIDC login, launch validation, keys, platform registrations.

Built on pylti1p3 (the pylti1p3next distribution), with its gaps closed here: audience and
``azp`` checks, RS256 only, JWKS re-fetch on an unknown ``kid``, timeouts on outbound calls,
nonces usable once across all workers, and launches that work without third-party cookies.
"""
