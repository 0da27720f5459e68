"""The key and certificate chain Slate signs content credentials with.

C2PA validators refuse a self-signed signer, so Slate makes a small chain of its own: a CA
(kept, so every export of the deployment chains to one root a studio can add to its trust list)
and an ES256 end-entity certificate with the extensions the C2PA trust model requires
(digitalSignature key usage, an extended key usage it accepts, not a CA, key identifiers).
A studio with its own signer points ``SLATE_SIGNING_KEY`` / ``SLATE_SIGNING_CERT`` at it instead.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT, SIGNER_KEY, SIGNER_CHAIN = "slate-ca.pem", "signer-key.pem", "signer-chain.pem"
CA_YEARS, SIGNER_YEARS = 10, 2


@dataclass(frozen=True)
class Credentials:
    """A PEM private key, its certificate chain (end entity first) and, when Slate made it, the root."""

    key_pem: bytes
    chain_pem: bytes
    root_pem: bytes | None = None


def load_credentials(directory: Path, key: Path | None = None, cert: Path | None = None) -> Credentials:
    """A studio's own signer when given, else Slate's under ``directory`` (made on first use)."""
    if key is not None and cert is not None:
        return Credentials(key.read_bytes(), cert.read_bytes())
    directory = Path(directory)
    if not (directory / SIGNER_KEY).exists():
        make_credentials(directory)
    return Credentials(
        (directory / SIGNER_KEY).read_bytes(),
        (directory / SIGNER_CHAIN).read_bytes(),
        (directory / CA_CERT).read_bytes(),
    )


def make_credentials(directory: Path, organisation: str = "Slate") -> None:
    """Write a new CA and an ES256 signer issued by it; the private keys are readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{organisation} content credentials CA", organisation)
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now, CA_YEARS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        _builder(_name(f"{organisation} signer", organisation), ca_name, key.public_key(), now, SIGNER_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write_private(directory / SIGNER_KEY, _private_pem(key))
    _write_private(directory / "ca-key.pem", _private_pem(ca_key))
    (directory / SIGNER_CHAIN).write_bytes(signer.public_bytes(pem) + ca.public_bytes(pem))
    (directory / CA_CERT).write_bytes(ca.public_bytes(pem))


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def _builder(subject, issuer, public_key, now, years: int) -> x509.CertificateBuilder:  # type: ignore[no-untyped-def]
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
