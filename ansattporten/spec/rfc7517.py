"""JSON Web Key (RFC 7517) 4.7: `x5c`, the certificate chain of a key.

When the operator has a certificate for a signing key (ID-porten's keys come with one,
and published tokens and JWKS carry it as `x5c`), the chain is kept with the key, the
leaf first, each certificate as standard base64 of its DER (not base64url). The leaf
must certify exactly this key: a chain naming another key would tell clients a lie.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

__all__ = ["certificates_of", "check_chain", "x5c_of"]

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def x5c_of(chain: Sequence[x509.Certificate]) -> list[str]:
    return [base64.b64encode(cert.public_bytes(Encoding.DER)).decode("ascii") for cert in chain]


def certificates_of(x5c: object) -> list[x509.Certificate]:
    """The certificates of an `x5c` member; ValueError when it is not one."""
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        raise ValueError("x5c must be a non-empty list of base64 certificates")
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
    except (binascii.Error, ValueError) as error:
        raise ValueError("x5c holds something that is not a DER certificate") from error


def check_chain(public_key: object, x5c: object) -> None:
    """The leaf of `x5c` must certify `public_key`; ValueError otherwise."""
    leaf = certificates_of(x5c)[0].public_key()
    if not same_key(leaf, public_key):
        raise ValueError("the certificate does not belong to the key")


def same_key(one: object, other: object) -> bool:
    if isinstance(one, rsa.RSAPublicKey) and isinstance(other, rsa.RSAPublicKey):
        return one.public_numbers() == other.public_numbers()
    if isinstance(one, ec.EllipticCurvePublicKey) and isinstance(other, ec.EllipticCurvePublicKey):
        return one.public_numbers() == other.public_numbers()
    return False
