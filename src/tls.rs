//! The HTTPS listener (DESIGN §1): the same application as the HTTP listener, over TLS. The
//! certificate is the one given (`--tls-cert`/`--tls-key`), or generated at start: a private CA
//! of this run and a server certificate it signs for `localhost`, `127.0.0.1`, `::1`, the bind
//! host and every `--tls-name`. The CA certificate (or the given chain) is what
//! `GET /__admin/certs/ca.pem` serves, so a client can be told to trust it.
//!
//! rustls with the ring provider (chosen explicitly, so no process-wide default is needed and
//! no cmake-built provider is compiled); HTTP/1.1 only, as the plain listener serves.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use chrono::{Datelike, Days, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// Where the server certificate comes from.
#[derive(Clone, Debug)]
pub enum CertSource {
    /// Generated at start for the loopback names, the bind host and these extra names.
    Generated { host: String, names: Vec<String> },
    /// PEM files: a certificate chain (leaf first) and its private key.
    Files { cert: PathBuf, key: PathBuf },
}

/// A ready TLS configuration and the PEM that `GET /__admin/certs/ca.pem` answers.
pub struct Prepared {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

/// A client that connects and never finishes its handshake is dropped after this long, so it
/// cannot hold a graceful shutdown open.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the TLS configuration; the error names the file or the name at fault.
pub fn prepare(source: &CertSource) -> Result<Prepared, String> {
    let (chain, key, ca_pem) = match source {
        CertSource::Generated { host, names } => generate(host, names)?,
        CertSource::Files { cert, key } => from_files(cert, key)?,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| err.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|err| match source {
            CertSource::Files { cert, key } => format!(
                "the certificate {} and the key {} do not make a usable pair: {err}",
                cert.display(),
                key.display()
            ),
            CertSource::Generated { .. } => format!("the generated certificate is unusable: {err}"),
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Prepared {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem,
    })
}

/// An IP address, or a DNS name: dot-separated labels of letters, digits and `-` (not at
/// either end), at most 63 bytes each and 253 in all, the first label possibly `*`.
fn is_certificate_name(name: &str) -> bool {
    if name.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let labels: Vec<&str> = name.split('.').collect();
    !name.is_empty()
        && name.len() <= 253
        && labels.iter().enumerate().all(|(i, label)| {
            (i == 0 && *label == "*" && labels.len() > 1)
                || (!label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        })
}

/// The names of the generated certificate: the loopback names, the bind host unless it is a
/// wildcard address, then the extra names, each once.
fn certificate_names(host: &str, names: &[String]) -> Vec<String> {
    let mut all: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let extra = std::iter::once(host)
        .filter(|h| !h.is_empty() && *h != "0.0.0.0" && *h != "::")
        .chain(names.iter().map(String::as_str));
    for name in extra {
        if !all.iter().any(|known| known.eq_ignore_ascii_case(name)) {
            all.push(name.to_owned());
        }
    }
    all
}

type Material = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, String);

/// A private CA valid for ten years and a server certificate valid for 397 days (what
/// browsers and Apple clients accept for a server certificate), both from yesterday, so a
/// client whose clock is a little behind still accepts them.
fn generate(host: &str, names: &[String]) -> Result<Material, String> {
    let failed = |err: rcgen::Error| format!("cannot generate the certificate: {err}");
    let today = Utc::now().date_naive();
    let day = |date: chrono::NaiveDate| {
        let month = u8::try_from(date.month()).unwrap_or(1);
        let day = u8::try_from(date.day()).unwrap_or(1);
        rcgen::date_time_ymd(date.year(), month, day)
    };
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let in_days = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today);

    let mut ca_params = CertificateParams::default();
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "zoho-sharing-mock local CA");
    ca_name.push(DnType::OrganizationName, "zoho-sharing-mock");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params.not_before = day(yesterday);
    ca_params.not_after = day(in_days(3650));
    let ca_key = KeyPair::generate().map_err(failed)?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(failed)?;

    if let Some(bad) = names.iter().find(|n| !is_certificate_name(n)) {
        return Err(format!(
            "--tls-name {bad:?} is not a DNS name or an IP address"
        ));
    }
    let all_names = certificate_names(host, names);
    let mut params = CertificateParams::new(all_names.clone())
        .map_err(|err| format!("cannot name the certificate {all_names:?}: {err}"))?;
    let mut server_name = DistinguishedName::new();
    server_name.push(DnType::CommonName, "zoho-sharing-mock");
    params.distinguished_name = server_name;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = day(yesterday);
    params.not_after = day(in_days(397));
    let key = KeyPair::generate().map_err(failed)?;
    let cert = params.signed_by(&key, &ca).map_err(failed)?;

    let private = PrivateKeyDer::Pkcs8(key.serialize_der().into());
    Ok((vec![cert.der().clone()], private, ca.pem()))
}

/// The given chain and key; `ca.pem` answers the chain file as it is.
fn from_files(cert: &Path, key: &Path) -> Result<Material, String> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
    };
    let cert_bytes = read(cert)?;
    let chain = CertificateDer::pem_slice_iter(&cert_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| format!("{}: not a PEM certificate chain: {err}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("{}: no PEM certificate in it", cert.display()));
    }
    let private = PrivateKeyDer::from_pem_slice(&read(key)?)
        .map_err(|err| format!("{}: not a PEM private key: {err}", key.display()))?;
    let pem = String::from_utf8_lossy(&cert_bytes).into_owned();
    Ok((chain, private, pem))
}

/// Serves `app` over TLS on `listener` until `stop` changes, with the same timeouts and
/// graceful shutdown as the HTTP listener; a handshake gets [`HANDSHAKE_TIMEOUT`].
pub async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    app: Router,
    stop: watch::Receiver<bool>,
    timeouts: crate::app::Timeouts,
) {
    let handshake = move |tcp| {
        let acceptor = acceptor.clone();
        async move {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => Some(tls),
                Ok(Err(err)) => {
                    tracing::debug!(error = %err, "TLS handshake failed");
                    None
                }
                Err(_) => None,
            }
        }
    };
    crate::app::serve_connections(listener, handshake, app, stop, timeouts).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_loopback_host_and_extras_once() {
        let names = certificate_names("0.0.0.0", &["example.test".into(), "LOCALHOST".into()]);
        assert_eq!(names, ["localhost", "127.0.0.1", "::1", "example.test"]);
        let names = certificate_names("192.0.2.7", &[]);
        assert_eq!(names, ["localhost", "127.0.0.1", "::1", "192.0.2.7"]);
        assert_eq!(certificate_names("[::1]", &[]).len(), 3);
    }

    #[test]
    fn names_are_dns_names_or_addresses() {
        for good in [
            "example.test",
            "analyticsapi.zoho.com",
            "*.zoho.com",
            "a-b.c",
            "10.0.0.1",
            "::1",
            "host.",
        ] {
            assert!(is_certificate_name(good), "{good}");
        }
        for bad in [
            "",
            "bad name!",
            "-a.test",
            "a-.test",
            "a..test",
            "*",
            "a.*.test",
            "é.test",
        ] {
            assert!(!is_certificate_name(bad), "{bad}");
        }
        assert!(!is_certificate_name(&"a".repeat(64)));
    }

    #[test]
    fn a_generated_certificate_makes_a_configuration() {
        let prepared = prepare(&CertSource::Generated {
            host: "127.0.0.1".into(),
            names: vec!["analyticsapi.zoho.com".into()],
        })
        .unwrap();
        assert!(prepared.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn unreadable_files_are_named() {
        let err = prepare(&CertSource::Files {
            cert: "no-such-cert.pem".into(),
            key: "no-such-key.pem".into(),
        })
        .err()
        .unwrap();
        assert!(err.starts_with("cannot read no-such-cert.pem"), "{err}");
    }
}
