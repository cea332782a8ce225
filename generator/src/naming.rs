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
    let mut text = name.to_owned();
    for (from, to) in ACRONYMS {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
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
        assert_eq!(column_name("SQLQuery"), "sql_query");
        assert_eq!(column_name("CACertificate"), "ca_certificate");
        assert_eq!(column_name("Name_With_Underscore"), "name__with__underscore");
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
