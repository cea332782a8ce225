//! Validation of every name that leaves a spec to become a path segment, a Rust module, a
//! Cargo feature or a TOML key: provider names, service keys, resource names and the segments
//! of CloudFormation type names.
//!
//! This is the one edge where such names enter: `cargo xtask gen` checks provider, service and
//! resource names when it loads a spec, `cargo xtask import` checks type names when it parses a
//! schema, both with these functions. A name that passes is one plain lower-case segment (or,
//! for a type-name segment, one alphanumeric word): it cannot climb out of a folder (`..`, `/`),
//! be absolute, hide a file (`.x`), break a TOML key or a Cargo feature (`a"b c`), collide on a
//! case-insensitive file system, or carry markup or control characters into generated files.
//!
//! The functions return a [`NameError`] saying what is wrong with the name; the caller adds the
//! file and the path inside it.

/// Longest accepted name, in bytes (the longest in the 2024 and 2026 AWS corpora is 62).
pub const MAX_NAME_LEN: usize = 128;

/// Names Windows reserves for devices: a folder with such a name cannot be created there.
const DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// What a name is used as; says which rule applies and appears in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A provider name (`aws`): folder name, crate name prefix.
    Provider,
    /// A service key (`codeconnections`): file stem, folder, Rust module, Cargo feature, TOML
    /// key.
    Service,
    /// A resource name (`connections`): folder, Rust module.
    Resource,
    /// One of the three `::`-separated segments of a CloudFormation type name
    /// (`CodeConnections`): the namespace becomes a service key, the last segment a resource
    /// name.
    TypeNameSegment,
}

impl NameKind {
    fn describe(self) -> &'static str {
        match self {
            NameKind::Provider => "provider name",
            NameKind::Service => "service key",
            NameKind::Resource => "resource name",
            NameKind::TypeNameSegment => "type name segment",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            NameKind::TypeNameSegment => "an ASCII letter followed by ASCII letters and digits",
            _ => "a lower-case ASCII letter followed by lower-case ASCII letters, digits and `_`",
        }
    }
}

/// A name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} `{}` is not a valid name: {reason} (expected {}, at most {MAX_NAME_LEN} bytes)", kind.describe(), name.escape_debug(), kind.rule())]
pub struct NameError {
    /// What the name is used as.
    pub kind: NameKind,
    /// The name as written.
    pub name: String,
    /// What is wrong with it.
    pub reason: String,
}

fn error(kind: NameKind, name: &str, reason: impl Into<String>) -> NameError {
    // Keep the message bounded whatever the input.
    let shown: String = name.chars().take(MAX_NAME_LEN + 16).collect();
    NameError {
        kind,
        name: shown,
        reason: reason.into(),
    }
}

fn check(kind: NameKind, name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(error(kind, name, "it is empty"));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(error(
            kind,
            name,
            format!("it is {} bytes long", name.len()),
        ));
    }
    let segment = kind == NameKind::TypeNameSegment;
    let first = name.chars().next().unwrap_or(' ');
    let first_ok = if segment {
        first.is_ascii_alphabetic()
    } else {
        first.is_ascii_lowercase()
    };
    if !first_ok {
        return Err(error(
            kind,
            name,
            format!("it starts with `{}`", first.escape_debug()),
        ));
    }
    if let Some(bad) = name.chars().find(|&c| {
        !(c.is_ascii_digit()
            || if segment {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_lowercase() || c == '_'
            })
    }) {
        return Err(error(
            kind,
            name,
            format!("it contains `{}`", bad.escape_debug()),
        ));
    }
    if !segment && DEVICE_NAMES.contains(&name) {
        return Err(error(kind, name, "Windows reserves it for a device"));
    }
    Ok(())
}

/// Checks a provider name (`aws`).
pub fn check_provider(name: &str) -> Result<(), NameError> {
    check(NameKind::Provider, name)
}

/// Checks a service key (`codeconnections`, `iam_api`).
pub fn check_service(name: &str) -> Result<(), NameError> {
    check(NameKind::Service, name)
}

/// Checks a resource name (`connections`, `db_cluster`).
pub fn check_resource(name: &str) -> Result<(), NameError> {
    check(NameKind::Resource, name)
}

/// Splits a CloudFormation type name (`AWS::CodeConnections::Connection`) into vendor,
/// namespace and resource key, checking each segment.
pub fn split_type_name(type_name: &str) -> Result<[&str; 3], NameError> {
    let parts: Vec<&str> = type_name.split("::").collect();
    let [vendor, namespace, key] = parts[..] else {
        return Err(error(
            NameKind::TypeNameSegment,
            type_name,
            "a type name has the form Vendor::Service::Resource",
        ));
    };
    for segment in [vendor, namespace, key] {
        check(NameKind::TypeNameSegment, segment)?;
    }
    Ok([vendor, namespace, key])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_names_pass() {
        for name in [
            "aws",
            "codeconnections",
            "iam_api",
            "s3",
            "ec2",
            "elasticloadbalancingv2",
        ] {
            assert_eq!(check_service(name), Ok(()), "{name}");
        }
        for name in [
            "connections",
            "db_cluster",
            "browser_settings_list",
            "ec2fleet",
        ] {
            assert_eq!(check_resource(name), Ok(()), "{name}");
        }
        assert_eq!(check_provider("aws"), Ok(()));
        assert_eq!(
            split_type_name("AWS::CodeConnections::Connection"),
            Ok(["AWS", "CodeConnections", "Connection"])
        );
        assert_eq!(
            split_type_name("AWS::EC2::VPCEndpoint"),
            Ok(["AWS", "EC2", "VPCEndpoint"])
        );
    }

    #[test]
    fn hostile_names_fail() {
        for name in [
            "", ".", "..", "a.b", "a\"b c", "a/b", "/tmp", "a\\b", "Upper", "_x", "1a", "a-b",
            "a\nb", "a b", "ä", "con", "lpt1", "a{b}", "<script>",
        ] {
            assert!(check_service(name).is_err(), "{name:?} passed");
            assert!(check_resource(name).is_err(), "{name:?} passed");
            assert!(check_provider(name).is_err(), "{name:?} passed");
        }
        assert!(check_service(&"a".repeat(MAX_NAME_LEN)).is_ok());
        assert!(check_service(&"a".repeat(MAX_NAME_LEN + 1)).is_err());
        for type_name in [
            "AWS::../../x::Thing",
            "AWS::/tmp/victim::Thing",
            "AWS::A",
            "AWS::A::B::C",
            "AWS::::B",
            "AWS::A::B\n",
            "AWS::A_B::C",
            "AWS::A::1B",
        ] {
            assert!(split_type_name(type_name).is_err(), "{type_name:?} passed");
        }
    }

    #[test]
    fn errors_say_what_and_why() {
        let err = check_service("a\"b c").unwrap_err();
        assert_eq!(
            err.to_string(),
            "service key `a\\\"b c` is not a valid name: it contains `\\\"` (expected a \
             lower-case ASCII letter followed by lower-case ASCII letters, digits and `_`, at \
             most 128 bytes)"
        );
        let err = split_type_name("AWS::../../x::Thing").unwrap_err();
        assert!(
            err.to_string().contains("type name segment `../../x`"),
            "{err}"
        );
        assert!(err.to_string().contains("starts with `.`"), "{err}");
    }
}
