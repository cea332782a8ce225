//! Every name the importer derives: service names, resource names (snake case, plural, reserved
//! words, collision suffix) and view column aliases. The rules reproduce StackQL's converter
//! (cfn-import.md §2, §4.2, §5) so that imported resources keep their 2024 names.

/// Singular resource names that clash with words StackQL reserves; they are prefixed with the
/// service name (`kinesis_stream`). The plural is computed from the short name first.
pub const RESERVED_SINGULARS: [&str; 3] = ["registry", "list", "stream"];

/// Suffix of the plural (collection) resource when pluralization leaves the singular unchanged
/// (`browser_settings`): StackQL's converter let the singular overwrite the plural, losing the
/// list view and create method; we keep both and give the plural this suffix.
pub const SAME_PLURAL_SUFFIX: &str = "_list";

/// Acronyms normalised in each view column path part before snake-casing, in this order
/// (cfn-import.md §5, step 1). The order matters: `IP` is replaced before `IPAM` can match.
pub const ALIAS_ACRONYMS: [(&str, &str); 38] = [
    ("DB", "Db"),
    ("ARN", "Arn"),
    ("WAN", "Wan"),
    ("URL", "Url"),
    ("VPC", "Vpc"),
    ("DHCP", "Dhcp"),
    ("DNS", "Dns"),
    ("IP", "Ip"),
    ("IAM", "Iam"),
    ("IPAM", "Ipam"),
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
    ("MFA", "Mfa"),
    ("OAuth", "Oauth"),
];

/// Column aliases that are SQL keywords; they get a leading `_` (`Schema` → `_schema`).
pub const RESERVED_ALIASES: [&str; 7] = [
    "values", "schema", "database", "format", "update", "force", "match",
];

/// The service of a CloudFormation namespace: lower-cased, no other mapping
/// (`ElasticLoadBalancingV2` → `elasticloadbalancingv2`).
pub fn service_name(namespace: &str) -> String {
    namespace.to_ascii_lowercase()
}

/// Snake case of a schema key, as StackQL's converter computes it (cfn-import.md §4.2).
///
/// A run of capitals followed by a capitalised word is lower-cased and split from that word
/// only (`VirtualMFADevice` → `virtualmfa_device`); a lower-case letter followed by a capital is
/// split; digits never start a word (`EC2Fleet` → `ec2fleet`).
pub fn snake_case(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    // Step 1: `([A-Z]+)([A-Z][a-z])` → lower(run) + "_" + last capital.
    let mut step1 = String::with_capacity(key.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_uppercase() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_uppercase() {
                j += 1;
            }
            let followed_by_lower = j < chars.len() && chars[j].is_ascii_lowercase();
            if followed_by_lower && j - i >= 2 {
                step1.extend(chars[i..j - 1].iter().map(char::to_ascii_lowercase));
                step1.push('_');
                step1.push(chars[j - 1]);
            } else {
                step1.extend(&chars[i..j]);
            }
            i = j;
        } else {
            step1.push(chars[i]);
            i += 1;
        }
    }
    // Step 2: `([a-z])([A-Z])` → "$1_$2"; step 3: lower-case and collapse repeated `_`.
    let mut out = String::with_capacity(step1.len() + 4);
    let mut prev: Option<char> = None;
    for c in step1.chars() {
        if let Some(p) = prev {
            if p.is_ascii_lowercase() && c.is_ascii_uppercase() {
                out.push('_');
            }
        }
        let lower = c.to_ascii_lowercase();
        if !(lower == '_' && out.ends_with('_')) {
            out.push(lower);
        }
        prev = Some(c);
    }
    out
}

/// Plural of a snake-case singular, as npm `pluralize` 8.0.0 computes it (the `pluralizer`
/// crate reproduces it on all 965 pairs of the 2024 reference output).
pub fn plural(singular: &str) -> String {
    pluralizer::pluralize(singular, 2, false)
}

/// The names of the resources a type produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceNames {
    /// The snake-case singular before any renaming: the schema's `x-stackql-resource-name`.
    pub short: String,
    /// The singular (GET) resource name, with reserved words prefixed by the service.
    pub singular: String,
    /// The plural (collection) resource name; never equal to `singular`.
    pub plural: String,
}

/// Derives the resource names of schema `key` in `service` (cfn-import.md §4.2, plus our rule
/// that a plural equal to its singular gets [`SAME_PLURAL_SUFFIX`]).
pub fn resource_names(service: &str, key: &str) -> ResourceNames {
    let short = snake_case(key);
    let plural_name = plural(&short);
    let singular = if RESERVED_SINGULARS.contains(&short.as_str()) {
        format!("{service}_{short}")
    } else {
        short.clone()
    };
    let plural_name = if plural_name == singular {
        format!("{singular}{SAME_PLURAL_SUFFIX}")
    } else {
        plural_name
    };
    ResourceNames {
        short,
        singular,
        plural: plural_name,
    }
}

/// The view column alias of a property path (the parts of a pointer such as
/// `Schedule/ScheduleId`), cfn-import.md §5.
pub fn column_alias(parts: &[&str]) -> String {
    let replaced: Vec<String> = parts
        .iter()
        .map(|part| provider_spec::naming::replace_acronyms(part, &ALIAS_ACRONYMS))
        .collect();
    let alias = provider_spec::naming::split_words_lower(&replaced.join("_"));
    if RESERVED_ALIASES.contains(&alias.as_str()) {
        format!("_{alias}")
    } else {
        alias
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_lower_cased_namespaces() {
        assert_eq!(service_name("CodeConnections"), "codeconnections");
        assert_eq!(
            service_name("ElasticLoadBalancingV2"),
            "elasticloadbalancingv2"
        );
        assert_eq!(service_name("ResourceExplorer2"), "resourceexplorer2");
        assert_eq!(service_name("WAFv2"), "wafv2");
    }

    #[test]
    fn snake_case_regular_names() {
        assert_eq!(snake_case("Connection"), "connection");
        assert_eq!(snake_case("DBCluster"), "db_cluster");
        assert_eq!(snake_case("IPAMPool"), "ipam_pool");
        assert_eq!(
            snake_case("CertificateAuthorityActivation"),
            "certificate_authority_activation"
        );
        assert_eq!(snake_case("ApiKey"), "api_key");
    }

    #[test]
    fn snake_case_reproduces_the_eleven_odd_names() {
        assert_eq!(snake_case("EC2Fleet"), "ec2fleet");
        assert_eq!(snake_case("VirtualMFADevice"), "virtualmfa_device");
        assert_eq!(snake_case("WebACLAssociation"), "webacl_association");
        assert_eq!(
            snake_case("CustomDBEngineVersion"),
            "customdb_engine_version"
        );
        assert_eq!(snake_case("ResolverDNSSECConfig"), "resolverdnssec_config");
        assert_eq!(snake_case("InfluxDBInstance"), "influxdb_instance");
        assert_eq!(
            snake_case("LocalGatewayRouteTableVPCAssociation"),
            "local_gateway_route_tablevpc_association"
        );
        assert_eq!(snake_case("LocationFSxOpenZFS"), "locationf_sx_open_zfs");
        assert_eq!(snake_case("LocationFSxLustre"), "locationf_sx_lustre");
        assert_eq!(snake_case("LocationFSxONTAP"), "locationf_sx_ontap");
        assert_eq!(snake_case("LocationFSxWindows"), "locationf_sx_windows");
    }

    #[test]
    fn plurals_follow_npm_pluralize() {
        assert_eq!(plural("policy"), "policies");
        assert_eq!(plural("index"), "indices");
        assert_eq!(plural("schema"), "schemata");
        assert_eq!(plural("analysis"), "analyses");
        assert_eq!(plural("alias"), "aliases");
        assert_eq!(plural("access"), "accesses");
        assert_eq!(plural("bus"), "buses");
        assert_eq!(plural("settings"), "settings");
        assert_eq!(plural("metadata"), "metadata");
        assert_eq!(plural("lens"), "lens");
        assert_eq!(plural("connection"), "connections");
    }

    #[test]
    fn reserved_singulars_are_prefixed_and_plural_uses_short_name() {
        let names = resource_names("kinesis", "Stream");
        assert_eq!(names.short, "stream");
        assert_eq!(names.singular, "kinesis_stream");
        assert_eq!(names.plural, "streams");
        assert_eq!(
            resource_names("eventschemas", "Registry").singular,
            "eventschemas_registry"
        );
        assert_eq!(
            resource_names("eventschemas", "Registry").plural,
            "registries"
        );
        assert_eq!(
            resource_names("frauddetector", "List").singular,
            "frauddetector_list"
        );
    }

    #[test]
    fn plural_equal_to_singular_gets_a_distinct_name() {
        let names = resource_names("workspacesweb", "BrowserSettings");
        assert_eq!(names.singular, "browser_settings");
        assert_eq!(names.plural, "browser_settings_list");
        let names = resource_names("datasync", "LocationEFS");
        assert_eq!(names.singular, "location_efs");
        assert_eq!(names.plural, "location_efs_list");
        let names = resource_names("codeconnections", "Connection");
        assert_eq!(
            (names.singular.as_str(), names.plural.as_str()),
            ("connection", "connections")
        );
    }

    #[test]
    fn column_aliases() {
        assert_eq!(column_alias(&["ConnectionArn"]), "connection_arn");
        assert_eq!(column_alias(&["EIP"]), "e_ip");
        assert_eq!(column_alias(&["VPNGatewayId"]), "v_pn_gateway_id");
        assert_eq!(column_alias(&["EC2InstanceType"]), "e_c2_instance_type");
        assert_eq!(column_alias(&["SQName"]), "sq_name");
        assert_eq!(
            column_alias(&["MaxRecordSizeInKiB"]),
            "max_record_size_in_ki_b"
        );
        assert_eq!(
            column_alias(&["Schedule", "ScheduleId"]),
            "schedule__schedule_id"
        );
        assert_eq!(column_alias(&["Schema"]), "_schema");
        assert_eq!(
            column_alias(&["DBClusterIdentifier"]),
            "db_cluster_identifier"
        );
        assert_eq!(column_alias(&["Region"]), "region");
        assert_eq!(column_alias(&["IPAMPoolId"]), "ip_am_pool_id");
    }
}
