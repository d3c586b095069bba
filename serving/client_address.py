"""The address a request really came from, behind a known number of trusted proxies.

django-axes locks sign-in by username AND address. Behind the TLS proxy every request's
REMOTE_ADDR is the proxy's, so the address must come from X-Forwarded-For, but only the
part the trusted proxies wrote: each proxy appends the address it got the request from,
and anything to the left of that was sent by the client and may be made up.

django-ipware (axes' optional helper) was tried: its proxy count expects the proxy's own
address in the header too, and for the usual one-proxy set-up (nginx's
$proxy_add_x_forwarded_for) it answers "no address", which axes would turn into a
username-only lock-out again. The rule below is the one Werkzeug's ProxyFix uses.
"""
import ipaddress

from django.conf import settings


def _is_trusted_proxy(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXY_NETWORKS)


def _parse(entry):
    """An X-Forwarded-For entry as an address: proxies may write `1.2.3.4:5678`,
    `[2001:db8::1]` or `[2001:db8::1]:443`; an IPv4 address mapped into IPv6 is the IPv4 one
    (so one client has one lock-out record)."""
    if entry.startswith("["):
        host, bracket, _port = entry[1:].partition("]")
        if not bracket:
            raise ValueError(entry)
        entry = host
    elif entry.count(":") == 1:  # IPv4 with a port (a bare IPv6 address has two or more)
        entry = entry.partition(":")[0]
    ip = ipaddress.ip_address(entry)
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address, never one a client can choose."""
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    # A direct connection (not from a trusted proxy) is the client itself; what it put in
    # X-Forwarded-For is ignored, so a spoofed header cannot change its address.
    if hops <= 0 or not _is_trusted_proxy(peer):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, peer]  # client ... proxy n-1 as the proxies wrote it, then the last proxy
    # With n trusted proxies the client is the n-th address from the right in the header
    # (the last proxy is the peer). A shorter chain: the furthest address seen.
    client = chain[-(hops + 1)] if len(chain) > hops else chain[0]
    try:
        return _parse(client)
    except ValueError:  # a misconfigured proxy: lock by the proxy's address rather than fail
        return peer
