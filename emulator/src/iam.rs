//! IAM identity-policy evaluation for `--policy FILE` / [`crate::Config::policy`].
//!
//! Evaluated as IAM evaluates one identity-based policy: every statement whose `Action` (or
//! `NotAction`) matches the action applies; an explicit `Deny` wins over any `Allow`; no
//! matching `Allow` is an implicit deny. Action patterns use `*` (any run of characters) and
//! `?` (one character) and compare case-insensitively. `Resource` is accepted but not
//! evaluated (handler permissions carry no ARN, so every statement applies to every resource);
//! `Condition`, `NotResource`, `Principal` and `NotPrincipal` are rejected, since ignoring them
//! would allow more than AWS does.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::specs::TypeInfo;

/// The caller the emulator's messages name (a user of the emulator's account, `123456789012`).
pub const CALLER_ARN: &str = "arn:aws:iam::123456789012:user/emulator";

/// A policy file that cannot be used: the file and the JSON path inside it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: at {path}: {message}", file.display())]
pub struct PolicyError {
    /// The policy file (`<inline>` for a policy given as text).
    pub file: PathBuf,
    /// JSON path of the problem (`Statement[1].Action`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

/// One statement: its effect and its action patterns (lowercased), negated for `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    effect: Effect,
    not_action: bool,
    patterns: Vec<String>,
}

impl Statement {
    fn applies_to(&self, action: &str) -> bool {
        let matched = self.patterns.iter().any(|p| wildcard_match(p, action));
        matched != self.not_action
    }
}

/// The outcome of evaluating one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A statement allows it and none denies it.
    Allow,
    /// No statement allows it.
    ImplicitDeny,
    /// A `Deny` statement matches it.
    ExplicitDeny,
}

/// A parsed identity policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPolicy {
    statements: Vec<Statement>,
}

impl IdentityPolicy {
    /// Reads and parses a policy document file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, PolicyError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            file: path.to_owned(),
            path: "$".to_owned(),
            message: format!("cannot read: {e}"),
        })?;
        Self::parse(&text, path)
    }

    /// Parses a policy document given as text.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        Self::parse(text, Path::new("<inline>"))
    }

    fn parse(text: &str, file: &Path) -> Result<Self, PolicyError> {
        let error = |path: String, message: String| PolicyError {
            file: file.to_owned(),
            path,
            message,
        };
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| error("$".to_owned(), format!("not JSON: {e}")))?;
        let Value::Object(doc) = doc else {
            return Err(error("$".to_owned(), "expected an object".to_owned()));
        };
        if let Some(version) = doc.get("Version") {
            if version != "2012-10-17" && version != "2008-10-17" {
                return Err(error(
                    "Version".to_owned(),
                    format!("unknown policy version {version}"),
                ));
            }
        }
        let statements: Vec<(&Value, String)> = match doc.get("Statement") {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, s)| (s, format!("Statement[{i}]")))
                .collect(),
            Some(single @ Value::Object(_)) => vec![(single, "Statement".to_owned())],
            _ => {
                return Err(error(
                    "Statement".to_owned(),
                    "expected a statement object or an array of them".to_owned(),
                ))
            }
        };
        let mut out = Vec::with_capacity(statements.len());
        for (value, here) in statements {
            let Value::Object(statement) = value else {
                return Err(error(here, "expected an object".to_owned()));
            };
            out.push(parse_statement(statement, &here).map_err(|(path, m)| error(path, m))?);
        }
        Ok(IdentityPolicy { statements: out })
    }

    /// The decision for one action (`logs:CreateLogGroup`).
    pub fn decide(&self, action: &str) -> Decision {
        let action = action.to_ascii_lowercase();
        let mut allowed = false;
        for statement in &self.statements {
            if statement.applies_to(&action) {
                match statement.effect {
                    Effect::Deny => return Decision::ExplicitDeny,
                    Effect::Allow => allowed = true,
                }
            }
        }
        if allowed {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        }
    }

    /// The actions of `actions` that are not allowed, in the order given, without duplicates
    /// (compared case-insensitively), each with its decision.
    pub fn denied<'a>(&self, actions: &'a [String]) -> Vec<(&'a str, Decision)> {
        let mut out: Vec<(&'a str, Decision)> = Vec::new();
        for action in actions {
            let action = action.trim();
            if action.is_empty() || out.iter().any(|(a, _)| a.eq_ignore_ascii_case(action)) {
                continue;
            }
            let decision = self.decide(action);
            if decision != Decision::Allow {
                out.push((action, decision));
            }
        }
        out
    }
}

fn parse_statement(
    statement: &Map<String, Value>,
    here: &str,
) -> Result<Statement, (String, String)> {
    for key in ["Condition", "NotResource", "Principal", "NotPrincipal"] {
        if statement.contains_key(key) {
            return Err((
                format!("{here}.{key}"),
                format!("`{key}` is not supported by the emulator's identity-policy evaluation"),
            ));
        }
    }
    let effect = match statement.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => {
            return Err((
                format!("{here}.Effect"),
                "expected \"Allow\" or \"Deny\"".to_owned(),
            ))
        }
    };
    let (key, not_action) = match (statement.get("Action"), statement.get("NotAction")) {
        (Some(_), None) => ("Action", false),
        (None, Some(_)) => ("NotAction", true),
        (Some(_), Some(_)) => {
            return Err((here.to_owned(), "has both Action and NotAction".to_owned()))
        }
        (None, None) => {
            return Err((
                here.to_owned(),
                "has neither Action nor NotAction".to_owned(),
            ))
        }
    };
    let patterns = match statement.get(key) {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(items)) => {
            let mut patterns = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Some(s) = item.as_str() else {
                    return Err((format!("{here}.{key}[{i}]"), "expected a string".to_owned()));
                };
                patterns.push(s.to_ascii_lowercase());
            }
            patterns
        }
        _ => {
            return Err((
                format!("{here}.{key}"),
                "expected a string or an array of strings".to_owned(),
            ))
        }
    };
    Ok(Statement {
        effect,
        not_action,
        patterns,
    })
}

/// `*` matches any run of characters (also empty), `?` exactly one; both sides lowercase.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it currently absorbs up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The message of a denial, as IAM words it: the actions, then why.
pub fn denial_message(denied: &[(&str, Decision)]) -> String {
    let actions: Vec<&str> = denied.iter().map(|(a, _)| *a).collect();
    let explicit = denied.iter().any(|(_, d)| *d == Decision::ExplicitDeny);
    let why = match (explicit, actions.as_slice()) {
        (true, _) => "with an explicit deny in an identity-based policy".to_owned(),
        (false, [one]) => format!("because no identity-based policy allows the {one} action"),
        (false, _) => "because no identity-based policy allows these actions".to_owned(),
    };
    format!(
        "User: {CALLER_ARN} is not authorized to perform: {} {why}",
        actions.join(", ")
    )
}

/// The IAM action of a Cloud Control API operation (`CreateResource` →
/// `cloudformation:CreateResource`).
pub fn api_action(operation: &str) -> String {
    format!("cloudformation:{operation}")
}

/// The message of an `AccessDeniedException` for a Cloud Control API call the policy does not
/// allow (`operation` as in `X-Amz-Target`, e.g. `CreateResource`); `None` when allowed or
/// when there is no policy.
pub fn deny_api(policy: Option<&IdentityPolicy>, operation: &str) -> Option<String> {
    let policy = policy?;
    let action = [api_action(operation)];
    let denied = policy.denied(&action);
    (!denied.is_empty()).then(|| denial_message(&denied))
}

/// The message naming the permissions of `ti`'s `handler` the policy does not allow; `None`
/// when all are allowed or when there is no policy.
pub fn deny_handler(
    policy: Option<&IdentityPolicy>,
    ti: &TypeInfo,
    handler: &str,
) -> Option<String> {
    let policy = policy?;
    let actions = ti.permissions.get(handler)?;
    let denied = policy.denied(actions);
    (!denied.is_empty()).then(|| denial_message(&denied))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str) -> IdentityPolicy {
        IdentityPolicy::from_json(text).expect("policy parses")
    }

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(wildcard_match("logs:*", "logs:createloggroup"));
        assert!(wildcard_match("logs:describe*", "logs:describeloggroups"));
        assert!(!wildcard_match("logs:describe*", "logs:deleteloggroup"));
        assert!(wildcard_match("logs:?reateloggroup", "logs:createloggroup"));
        assert!(!wildcard_match(
            "logs:?createloggroup",
            "logs:createloggroup"
        ));
        assert!(wildcard_match("*", "s3:getobject"));
        assert!(wildcard_match("*:get*", "s3:getobject"));
        assert!(wildcard_match("logs:*group*", "logs:createloggroup"));
        assert!(!wildcard_match(
            "logs:createloggroup",
            "logs:createloggroups"
        ));
        assert!(!wildcard_match("", "a"));
    }

    #[test]
    fn explicit_deny_wins_and_default_is_deny() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"logs:*","Resource":"*"},
                {"Effect":"Deny","Action":["logs:DeleteLogGroup"],"Resource":"*"}]}"#,
        );
        assert_eq!(p.decide("logs:CreateLogGroup"), Decision::Allow);
        assert_eq!(p.decide("LOGS:createloggroup"), Decision::Allow);
        assert_eq!(p.decide("logs:DeleteLogGroup"), Decision::ExplicitDeny);
        assert_eq!(p.decide("s3:GetObject"), Decision::ImplicitDeny);
    }

    #[test]
    fn not_action_allows_everything_else() {
        let p = policy(
            r#"{"Statement":{"Effect":"Allow","NotAction":["iam:*","logs:Delete*"],"Resource":"*"}}"#,
        );
        assert_eq!(p.decide("logs:CreateLogGroup"), Decision::Allow);
        assert_eq!(p.decide("logs:DeleteLogGroup"), Decision::ImplicitDeny);
        assert_eq!(p.decide("iam:PassRole"), Decision::ImplicitDeny);
    }

    #[test]
    fn denied_lists_missing_actions_once_in_order() {
        let p = policy(r#"{"Statement":[{"Effect":"Allow","Action":"logs:Describe*"}]}"#);
        let actions: Vec<String> = [
            "logs:DescribeLogGroups",
            "logs:CreateLogGroup",
            "LOGS:createLogGroup",
            "s3:X",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let denied = p.denied(&actions);
        assert_eq!(
            denied,
            [
                ("logs:CreateLogGroup", Decision::ImplicitDeny),
                ("s3:X", Decision::ImplicitDeny)
            ]
        );
        assert_eq!(
            denial_message(&denied),
            "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: logs:CreateLogGroup, s3:X because no identity-based policy allows these actions"
        );
    }

    #[test]
    fn bad_policies_name_the_path() {
        let e = IdentityPolicy::from_json(r#"{"Statement":[{"Effect":"Allow","Action":"a:b"},{"Effect":"Maybe","Action":"x:y"}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "Statement[1].Effect");
        let e = IdentityPolicy::from_json(
            r#"{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "Statement[0].Condition");
        let e = IdentityPolicy::from_json(r#"{"Statement":[{"Effect":"Allow","Action":[1]}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "Statement[0].Action[0]");
        assert!(e
            .to_string()
            .starts_with("<inline>: at Statement[0].Action[0]"));
        assert!(IdentityPolicy::from_json("[]").is_err());
    }
}
