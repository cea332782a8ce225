//! AWS Signature Version 4 verification (header-based, `AWS4-HMAC-SHA256`).
//!
//! The canonical request is rebuilt from the received request and the signature recomputed
//! with the configured secret. Clock skew is deliberately not enforced (emulator use).
//! Rejections use the error codes AWS JSON services answer with.

use hmac::{Hmac, Mac};
use hyper::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::Credentials;

type HmacSha256 = Hmac<Sha256>;

/// The signing scope of an accepted request.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Region from the credential scope (used in generated ARNs).
    pub region: String,
}

/// A rejected request: error code, HTTP status and message.
#[derive(Debug, Clone)]
pub struct AuthError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

fn reject(code: &'static str, message: impl Into<String>) -> AuthError {
    AuthError {
        code,
        status: if code == "MissingAuthenticationTokenException" {
            403
        } else {
            400
        },
        message: message.into(),
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // new_from_slice only fails for fixed-size-key MACs; HMAC accepts any key length.
    match HmacSha256::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

struct AuthHeader<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(v: &str) -> Result<AuthHeader<'_>, AuthError> {
    let rest = v.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
        reject(
            "IncompleteSignatureException",
            "Authorization header requires the AWS4-HMAC-SHA256 algorithm.",
        )
    })?;
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(x) = part.strip_prefix("Credential=") {
            cred = Some(x);
        } else if let Some(x) = part.strip_prefix("SignedHeaders=") {
            signed = Some(x);
        } else if let Some(x) = part.strip_prefix("Signature=") {
            sig = Some(x);
        }
    }
    let missing = |what: &str| {
        reject(
            "IncompleteSignatureException",
            format!("Authorization header requires '{what}' parameter."),
        )
    };
    let cred = cred.ok_or_else(|| missing("Credential"))?;
    let signed_headers = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = sig.ok_or_else(|| missing("Signature"))?;
    let parts: Vec<&str> = cred.split('/').collect();
    let [access_key, date, region, service, terminator] = parts[..] else {
        return Err(reject(
            "IncompleteSignatureException",
            "Credential scope must be <key>/<date>/<region>/<service>/aws4_request.",
        ));
    };
    Ok(AuthHeader {
        access_key,
        date,
        region,
        service,
        terminator,
        signed_headers,
        signature,
    })
}

/// RFC 3986 encoding as SigV4 wants it (unreserved characters kept).
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            // Work on bytes: slicing the str could split a multi-byte character.
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn canonical_query(q: Option<&str>) -> String {
    let Some(q) = q.filter(|q| !q.is_empty()) else {
        return String::new();
    };
    let mut pairs: Vec<(String, String)> = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k), false),
                uri_encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    // Non-S3 services encode each segment of the (already encoded) path once more.
    uri_encode(path, true)
}

/// Verifies the request's SigV4 signature against `creds`.
pub fn verify(parts: &Parts, body: &[u8], creds: &Credentials) -> Result<Scope, AuthError> {
    let auth = parts
        .headers
        .get("authorization")
        .ok_or_else(|| {
            reject(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            )
        })?
        .to_str()
        .map_err(|_| {
            reject(
                "IncompleteSignatureException",
                "Authorization header is not ASCII.",
            )
        })?;
    let a = parse_authorization(auth)?;
    if a.access_key != creds.access_key_id {
        return Err(reject(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    if a.terminator != "aws4_request" || a.service != "cloudcontrolapi" {
        return Err(reject(
            "InvalidSignatureException",
            format!(
                "Credential should be scoped to correct service: 'cloudcontrolapi', not '{}'.",
                a.service
            ),
        ));
    }
    let amz_date = parts
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            reject(
                "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            )
        })?;
    if !amz_date.starts_with(a.date) {
        return Err(reject(
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.",
        ));
    }
    let signed: Vec<&str> = a.signed_headers.split(';').collect();
    if !signed.contains(&"host") {
        return Err(reject(
            "InvalidSignatureException",
            "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let mut canonical_headers = String::new();
    for name in &signed {
        let values: Vec<String> = parts
            .headers
            .get_all(*name)
            .iter()
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let value = if values.is_empty() && *name == "host" {
            // HTTP/2-style requests carry the authority in the URI instead of a Host header.
            parts
                .uri
                .authority()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default()
        } else {
            values.join(",")
        };
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&value);
        canonical_headers.push('\n');
    }
    // The signature covers the body received: its hash is computed here, never taken from the
    // request. A declared `x-amz-content-sha256` must agree with it, and the unsigned and
    // streaming payload modes (meant for S3 uploads) are refused for this JSON protocol.
    let payload_hash = hex::encode(Sha256::digest(body));
    if let Some(declared) = parts.headers.get("x-amz-content-sha256") {
        let declared = declared.to_str().unwrap_or("");
        if declared == "UNSIGNED-PAYLOAD" || declared.starts_with("STREAMING-") {
            return Err(reject(
                "InvalidSignatureException",
                format!("x-amz-content-sha256 '{declared}' is not supported: CloudApiService requests must sign their payload."),
            ));
        }
        if !declared.eq_ignore_ascii_case(&payload_hash) {
            return Err(reject(
                "InvalidSignatureException",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ));
        }
    }
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method.as_str(),
        canonical_uri(parts.uri.path()),
        canonical_query(parts.uri.query()),
        canonical_headers,
        a.signed_headers,
        payload_hash
    );
    let scope = format!("{}/{}/{}/{}", a.date, a.region, a.service, a.terminator);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(
        format!("AWS4{}", creds.secret_access_key).as_bytes(),
        a.date.as_bytes(),
    );
    let k_region = hmac(&k_date, a.region.as_bytes());
    let k_service = hmac(&k_region, a.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    if !constant_time_eq(expected.as_bytes(), a.signature.as_bytes()) {
        return Err(reject(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(Scope {
        region: a.region.to_owned(),
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Signs a request the way the SDK does; used by unit tests to check `verify` independently of
/// the SDK (the end-to-end tests use the real SDK).
#[cfg(test)]
pub fn sign_for_test(
    creds: &Credentials,
    host: &str,
    amz_date: &str,
    region: &str,
    target: &str,
    body: &[u8],
) -> String {
    let date = &amz_date[..8];
    let canonical_headers = format!(
        "content-type:application/x-amz-json-1.0\nhost:{host}\nx-amz-date:{amz_date}\nx-amz-target:{target}\n"
    );
    let signed = "content-type;host;x-amz-date;x-amz-target";
    let cr = format!(
        "POST\n/\n\n{canonical_headers}\n{signed}\n{}",
        hex::encode(Sha256::digest(body))
    );
    let scope = format!("{date}/{region}/cloudcontrolapi/aws4_request");
    let sts = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(cr.as_bytes()))
    );
    let k = hmac(
        format!("AWS4{}", creds.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k = hmac(&k, region.as_bytes());
    let k = hmac(&k, b"cloudcontrolapi");
    let k = hmac(&k, b"aws4_request");
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={}",
        creds.access_key_id,
        hex::encode(hmac(&k, sts.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(auth: &str, date: &str) -> Parts {
        let (p, _) = hyper::Request::builder()
            .method("POST")
            .uri("/")
            .header("content-type", "application/x-amz-json-1.0")
            .header("host", "127.0.0.1:1234")
            .header("x-amz-date", date)
            .header("x-amz-target", "CloudApiService.ListResources")
            .header("authorization", auth)
            .body(())
            .unwrap()
            .into_parts();
        p
    }

    #[test]
    fn known_aws_signing_key_vector() {
        // From the AWS SigV4 documentation: signing key for 20150830/us-east-1/iam.
        let k = hmac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20150830");
        let k = hmac(&k, b"us-east-1");
        let k = hmac(&k, b"iam");
        let k = hmac(&k, b"aws4_request");
        assert_eq!(
            hex::encode(k),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn accepts_good_and_rejects_tampered_requests() {
        let creds = Credentials::default();
        let body = br#"{"TypeName":"AWS::A::B"}"#;
        let date = "20250101T120000Z";
        let auth = sign_for_test(
            &creds,
            "127.0.0.1:1234",
            date,
            "eu-west-1",
            "CloudApiService.ListResources",
            body,
        );
        let scope = verify(&parts(&auth, date), body, &creds).unwrap();
        assert_eq!(scope.region, "eu-west-1");
        let err = verify(&parts(&auth, date), b"{}", &creds).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        let other = Credentials {
            access_key_id: creds.access_key_id.clone(),
            secret_access_key: "other".into(),
        };
        let bad = sign_for_test(
            &other,
            "127.0.0.1:1234",
            date,
            "eu-west-1",
            "CloudApiService.ListResources",
            body,
        );
        assert_eq!(
            verify(&parts(&bad, date), body, &creds).unwrap_err().code,
            "InvalidSignatureException"
        );
        let unknown = Credentials {
            access_key_id: "AKIDOTHER".into(),
            secret_access_key: creds.secret_access_key.clone(),
        };
        let bad = sign_for_test(
            &unknown,
            "127.0.0.1:1234",
            date,
            "eu-west-1",
            "CloudApiService.ListResources",
            body,
        );
        assert_eq!(
            verify(&parts(&bad, date), body, &creds).unwrap_err().code,
            "UnrecognizedClientException"
        );
    }

    /// Signs like `sign_for_test` but with `x-amz-content-sha256: <payload>` signed too.
    fn sign_with_payload_header(creds: &Credentials, date: &str, payload: &str) -> Parts {
        let host = "127.0.0.1:1234";
        let target = "CloudApiService.ListResources";
        let canonical_headers = format!(
            "content-type:application/x-amz-json-1.0\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{date}\nx-amz-target:{target}\n"
        );
        let signed = "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target";
        let cr = format!("POST\n/\n\n{canonical_headers}\n{signed}\n{payload}");
        let scope = format!("{}/us-east-1/cloudcontrolapi/aws4_request", &date[..8]);
        let sts = format!(
            "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
            hex::encode(Sha256::digest(cr.as_bytes()))
        );
        let k = hmac(
            format!("AWS4{}", creds.secret_access_key).as_bytes(),
            &date.as_bytes()[..8],
        );
        let k = hmac(&k, b"us-east-1");
        let k = hmac(&k, b"cloudcontrolapi");
        let k = hmac(&k, b"aws4_request");
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={}",
            creds.access_key_id,
            hex::encode(hmac(&k, sts.as_bytes()))
        );
        let (p, _) = hyper::Request::builder()
            .method("POST")
            .uri("/")
            .header("content-type", "application/x-amz-json-1.0")
            .header("host", host)
            .header("x-amz-content-sha256", payload)
            .header("x-amz-date", date)
            .header("x-amz-target", target)
            .header("authorization", auth)
            .body(())
            .unwrap()
            .into_parts();
        p
    }

    #[test]
    fn the_body_received_is_what_is_verified() {
        let creds = Credentials::default();
        let date = "20250101T120000Z";
        let a = br#"{"TypeName":"AWS::A::B"}"#;
        let b = br#"{"TypeName":"AWS::Evil::Swap"}"#;
        let hash_a = hex::encode(Sha256::digest(a));
        let parts = sign_with_payload_header(&creds, date, &hash_a);
        // The signature and the declared hash are those of body A: A passes, B does not.
        assert!(verify(&parts, a, &creds).is_ok());
        let err = verify(&parts, b, &creds).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        assert!(
            err.message.contains("x-amz-content-sha256"),
            "{}",
            err.message
        );
        // A correctly signed UNSIGNED-PAYLOAD request is refused whatever its body.
        let parts = sign_with_payload_header(&creds, date, "UNSIGNED-PAYLOAD");
        let err = verify(&parts, b, &creds).unwrap_err();
        assert_eq!(err.code, "InvalidSignatureException");
        assert!(err.message.contains("UNSIGNED-PAYLOAD"), "{}", err.message);
    }

    #[test]
    fn canonical_query_sorts_and_encodes() {
        assert_eq!(canonical_query(Some("b=2&a=x%20y")), "a=x%20y&b=2");
        // Malformed escapes and multi-byte characters after '%' must not panic.
        assert_eq!(canonical_query(Some("a=%é1&b=%")), "a=%25%C3%A91&b=%25");
        assert_eq!(canonical_uri("/"), "/");
    }
}
