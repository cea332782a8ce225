//! Naming rules shared by every emitter: docs column names (which are also the Rust field
//! names), singular/plural inflection of resource names.
//!
//! The rules are those of the StackQL docs site (docs-format.md, "Column names"); keeping them
//! in one place means the Rust field `connection_arn` and the docs column `connection_arn` can
//! never drift apart.

/// Acronym rewrites applied before splitting words, in this order, each over the whole string.
/// Order matters: `DB` must be rewritten before `ID` so `DBID` becomes `DbId`.
const ACRONYMS: &[(&str, &str)] = &[
    ("DB", "Db"),
    ("ARN", "Arn"),
    ("WAN", "Wan"),
    ("URL", "Url"),
    ("VPC", "Vpc"),
    ("DNS", "Dns"),
    ("IP", "Ip"),
    ("IAM", "Iam"),
    ("TLS", "Tls"),
    ("SSM", "Ssm"),
    ("CNAME", "Cname"),
    ("SQ", "Sq"),
    ("ML", "Ml"),
    ("SKU", "Sku"),
    ("KMS", "Kms"),
    ("OK", "Ok"),
    ("CA", "Ca"),
    ("ID", "Id"),
    ("TTL", "Ttl"),
    ("URI", "Uri"),
    ("LB", "Lb"),
    ("SNS", "Sns"),
    ("AWS", "Aws"),
    ("ACL", "Acl"),
    ("AZ", "Az"),
    ("API", "Api"),
    ("MSK", "Msk"),
    ("ECS", "Ecs"),
    ("EBS", "Ebs"),
    ("CWE", "Cwe"),
    ("SSE", "Sse"),
    ("HPO", "Hpo"),
    ("LF", "Lf"),
    ("WAL", "Wal"),
    ("OAuth", "Oauth"),
];

/// The docs column name of a property name or identifier path (`Schedule/ScheduleId` →
/// `schedule/schedule_id`).
pub fn column_name(name: &str) -> String {
    split_words_lower(&replace_acronyms(name, ACRONYMS))
}

/// Applies acronym rewrites, each over the whole string, in table order.
pub fn replace_acronyms(text: &str, table: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in table {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    text
}

/// Splits words and lower-cases, as the regex replacement `(\w)([A-Z])` → `$1_$2` (global,
/// non-overlapping) followed by lower-casing: where a word character (`[A-Za-z0-9_]`) is
/// directly followed by an uppercase ASCII letter, `_` goes between them and scanning resumes
/// after the uppercase letter (`ABCDef` → `a_bc_def`). The StackQL docs columns and view
/// column aliases both use this step.
pub fn split_words_lower(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let is_word = c.is_ascii_alphanumeric() || c == b'_';
        if is_word && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase) {
            out.push(c as char);
            out.push('_');
            out.push(bytes[i + 1] as char);
            // Resume after the uppercase letter so it cannot start the next pair.
            i += 2;
            continue;
        }
        // Non-ASCII text is copied whole; the rules only concern ASCII.
        let ch_len = utf8_len(c);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
    }
    out.to_lowercase()
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// The singular of a resource name (`connections` → `connection`), as the `pluralize` npm
/// package inflects it.
pub fn singular(name: &str) -> String {
    pluralizer::pluralize(name, 1, false)
}

/// The plural of a resource name (`connection` → `connections`).
pub fn plural(name: &str) -> String {
    pluralizer::pluralize(name, 2, false)
}

/// Rust keywords (strict, reserved and 2018+/2024 editions) that cannot be used as plain
/// identifiers.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is an error): they get a `_` suffix.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `name` is a Rust keyword.
pub fn is_rust_keyword(name: &str) -> bool {
    RUST_KEYWORDS.contains(&name)
}

/// Makes a snake-case name a valid, lint-clean Rust identifier: characters other than ASCII
/// letters, digits and `_` become `_`, runs of `_` collapse (`a__b` would trip
/// `non_snake_case`), a leading digit gets a `_` prefix, and keywords become raw identifiers
/// (`r#type`) or, where Rust forbids that, get a `_` suffix (`self_`).
fn snake_ident(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches('_');
    let mut ident = if trimmed.is_empty() {
        "field".to_owned()
    } else {
        trimmed.to_owned()
    };
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    keyword_fix(ident)
}

fn keyword_fix(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if is_rust_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The Rust field name of a CloudFormation property: its docs column name
/// ([`column_name`]) made a valid identifier (`Type` → `r#type`, `Self` → `self_`,
/// `3DSettings` → `_3_dsettings`). One function for docs and code, so they cannot drift.
pub fn field_ident(property: &str) -> String {
    snake_ident(&column_name(property))
}

/// The Rust field name of a docs column (`schedule/schedule_id` → `schedule_schedule_id`).
pub fn column_ident(column: &str) -> String {
    snake_ident(column)
}

/// The Rust module name of a service or resource (`codeconnections`, `connections`).
pub fn module_ident(name: &str) -> String {
    snake_ident(name)
}

/// The name a field's identifier takes in function names (`r#type` → `type`).
pub fn ident_text(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The setter of an optional field (`with_connection_name`, `with_type` for `r#type`,
/// `with_self` for `self_`, `with_3_dsettings` for `_3_dsettings`): the `with_` prefix makes
/// any word valid, so the keyword fixes are dropped.
pub fn setter_ident(field: &str) -> String {
    format!("with_{}", ident_text(field).trim_matches('_'))
}

/// Splits a name into words at non-alphanumeric characters (ASCII only; anything else is a
/// separator too).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Joins words into an upper-camel-case identifier. Words written in capitals only
/// (`IN_PROGRESS`) are recased (`InProgress`); others keep their casing with the first letter
/// raised (`gitHub` → `GitHub`). Digits meeting digits across a word break keep a `_` so
/// `1.0` and `10` stay apart.
fn camel(words: &[&str]) -> String {
    let mut out = String::new();
    for word in words {
        if out.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        let shouting = word.chars().any(|c| c.is_ascii_uppercase())
            && !word.chars().any(|c| c.is_ascii_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if shouting {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// The Rust type name of a schema or of a property's inline type (`Tag` → `Tag`,
/// `group_policies` → `GroupPolicies`, `3DSettings` → `_3DSettings`, `Self` → `Self_`).
/// Schema names are already upper camel case and keep their casing.
pub fn type_ident(name: &str) -> String {
    let mut ident = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if ident.ends_with(|c: char| c.is_ascii_digit()) && first.is_ascii_digit() {
                ident.push('_');
            }
            ident.push(first.to_ascii_uppercase());
            ident.push_str(chars.as_str());
        }
    }
    if ident.is_empty() {
        ident.push_str("Type");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    keyword_fix(ident)
}

/// The variant of a string enum value (`IN_PROGRESS` → `InProgress`, `us-east-1` →
/// `UsEast1`, `1.0` → `V1_0`, `*` → `Asterisk`, `` → `Empty`). Values that still collide are
/// told apart by the caller.
pub fn variant_ident(value: &str) -> String {
    let parts = words(value);
    if parts.is_empty() {
        if value.is_empty() {
            return "Empty".to_owned();
        }
        let mut spelled = String::new();
        for c in value.chars() {
            spelled.push_str(symbol_name(c));
        }
        return spelled;
    }
    let mut ident = camel(&parts);
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'V');
    }
    keyword_fix(ident)
}

fn symbol_name(c: char) -> &'static str {
    match c {
        '*' => "Asterisk",
        '+' => "Plus",
        '-' => "Minus",
        '.' => "Dot",
        '/' => "Slash",
        ':' => "Colon",
        '@' => "At",
        '#' => "Hash",
        '$' => "Dollar",
        '%' => "Percent",
        '&' => "And",
        '=' => "Equals",
        '?' => "Question",
        '!' => "Bang",
        ' ' => "Space",
        '_' => "Underscore",
        _ => "Symbol",
    }
}

/// The constant holding a handler's permissions (`create` → `CREATE_PERMISSIONS`).
pub fn permissions_const(handler: &str) -> String {
    let snake = snake_ident(&column_name(handler));
    format!(
        "{}_PERMISSIONS",
        ident_text(&snake)
            .trim_start_matches('_')
            .trim_end_matches('_')
            .to_ascii_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_the_docs_rules() {
        assert_eq!(column_name("ConnectionArn"), "connection_arn");
        assert_eq!(column_name("DBClusterIdentifier"), "db_cluster_identifier");
        assert_eq!(column_name("Schedule/ScheduleId"), "schedule/schedule_id");
        assert_eq!(column_name("ABCDef"), "a_bc_def");
        assert_eq!(column_name("VPCId"), "vpc_id");
        assert_eq!(column_name("AwsAccountId"), "aws_account_id");
        assert_eq!(column_name("OAuthToken"), "oauth_token");
        assert_eq!(column_name("SSESpecification"), "sse_specification");
        assert_eq!(column_name("IPv6CidrBlock"), "ipv6_cidr_block");
        assert_eq!(column_name("region"), "region");
        assert_eq!(column_name("S3Bucket"), "s3_bucket");
        assert_eq!(column_name("Tags"), "tags");
        // `SQ` is rewritten first, so the `L` is split off alone: the rules, quirks included.
        assert_eq!(column_name("SQLQuery"), "sq_lquery");
        assert_eq!(column_name("CACertificate"), "ca_certificate");
        assert_eq!(
            column_name("Name_With_Underscore"),
            "name__with__underscore"
        );
    }

    #[test]
    fn column_names_keep_non_ascii_text() {
        assert_eq!(column_name("Größe"), "größe");
        assert_eq!(column_name("ÄbcDef"), "äbc_def");
    }

    #[test]
    fn inflection_matches_pluralize() {
        assert_eq!(singular("connections"), "connection");
        assert_eq!(plural("connection"), "connections");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(plural("policy"), "policies");
        assert_eq!(singular("certificate_authorities"), "certificate_authority");
        assert_eq!(plural("db_cluster"), "db_clusters");
        assert_eq!(singular("aliases"), "alias");
        assert_eq!(plural("access"), "accesses");
        assert_eq!(singular("indices"), "index");
    }
}

#[cfg(test)]
mod rust_ident_tests {
    use super::*;

    #[test]
    fn field_idents_are_column_names_made_valid() {
        assert_eq!(field_ident("ConnectionArn"), "connection_arn");
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Match"), "r#match");
        assert_eq!(field_ident("Ref"), "r#ref");
        assert_eq!(field_ident("Override"), "r#override");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("Super"), "super_");
        // The column rules split `3D` but not `DS`: `3_dsettings`, then the digit gets its prefix.
        assert_eq!(field_ident("3DSettings"), "_3_dsettings");
        assert_eq!(field_ident("1stValue"), "_1st_value");
        assert_eq!(field_ident("Name_With_Underscore"), "name_with_underscore");
        assert_eq!(field_ident("VPCId"), "vpc_id");
        assert_eq!(field_ident("Größe"), "gr_e");
        assert_eq!(field_ident(""), "field");
    }

    #[test]
    fn column_and_module_idents() {
        assert_eq!(column_ident("schedule/schedule_id"), "schedule_schedule_id");
        assert_eq!(column_ident("region"), "region");
        assert_eq!(module_ident("codeconnections"), "codeconnections");
        assert_eq!(module_ident("type"), "r#type");
        assert_eq!(module_ident("cloud_control"), "cloud_control");
    }

    #[test]
    fn setters_drop_raw_prefix_and_leading_underscores() {
        assert_eq!(setter_ident("connection_name"), "with_connection_name");
        assert_eq!(setter_ident("r#type"), "with_type");
        assert_eq!(setter_ident("self_"), "with_self");
        assert_eq!(setter_ident("_3_d_settings"), "with_3_d_settings");
        assert_eq!(ident_text("r#match"), "match");
    }

    #[test]
    fn type_idents_keep_schema_casing() {
        assert_eq!(type_ident("Tag"), "Tag");
        assert_eq!(type_ident("S3Location"), "S3Location");
        assert_eq!(type_ident("group_policies"), "GroupPolicies");
        assert_eq!(type_ident("3DSettings"), "_3DSettings");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(type_ident("Type"), "Type");
        assert_eq!(type_ident("a.b-c"), "ABC");
        assert_eq!(type_ident("V1.2"), "V1_2");
        assert_eq!(type_ident(""), "Type");
    }

    #[test]
    fn variant_idents() {
        assert_eq!(variant_ident("IN_PROGRESS"), "InProgress");
        assert_eq!(
            variant_ident("GitHubEnterpriseServer"),
            "GitHubEnterpriseServer"
        );
        assert_eq!(variant_ident("us-east-1"), "UsEast1");
        assert_eq!(variant_ident("AWS::EC2::Instance"), "AwsEc2Instance");
        assert_eq!(variant_ident("1.0"), "V1_0");
        assert_eq!(variant_ident("10"), "V10");
        assert_eq!(variant_ident("TLS1_2"), "Tls1_2");
        assert_eq!(variant_ident("*"), "Asterisk");
        assert_eq!(variant_ident(""), "Empty");
        assert_eq!(variant_ident("Self"), "Self_");
        assert_eq!(variant_ident("utf-8"), "Utf8");
    }

    #[test]
    fn permission_constants() {
        assert_eq!(permissions_const("create"), "CREATE_PERMISSIONS");
        assert_eq!(permissions_const("list"), "LIST_PERMISSIONS");
        assert_eq!(permissions_const("self"), "SELF_PERMISSIONS");
        assert_eq!(permissions_const("type"), "TYPE_PERMISSIONS");
    }
}
