//! Generated values: request tokens and the plausible values given to read-only properties and
//! to an omitted primary identifier (ARNs, ids, account ids, timestamps), drawn from one seeded
//! RNG so that runs with the same seed produce the same identifiers. Each value satisfies its
//! property's own schema (strings are fitted to `pattern`, length and `format` by
//! [`crate::sample`]), and common types get their real ARN format ([`ARN_FORMATS`]).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::ACCOUNT_ID;
use crate::schema;
use crate::specs::TypeInfo;
use crate::time;
use crate::values::{Builder, Leaves};

/// The identifier RNG and the counter numbering generated numeric values.
pub(super) struct Generator {
    rng: ChaCha8Rng,
    seq: u64,
}

impl Generator {
    /// A generator whose stream depends only on `seed`.
    pub(super) fn new(seed: u64) -> Self {
        Generator {
            // Identifiers use their own stream so fault draws do not shift them.
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x05ee_d1d5),
            seq: 0,
        }
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.rng.random_range(0..16u32), 16).unwrap_or('0'))
            .collect()
    }

    /// A random version-4-shaped UUID (request tokens, ARN suffixes).
    pub(super) fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-a{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A plausible value for a generated (read-only or omitted identifier) property that
    /// satisfies the property's own schema (type, enum, range, items, required members, and for
    /// strings `pattern`, length and `format`). `own_arn` is the resource's real ARN when the
    /// property is its own `Arn` and [`real_arn`] knows the type.
    fn generate_value(
        &mut self,
        ti: &TypeInfo,
        name: &str,
        prop_schema: Option<&Value>,
        region: &str,
        own_arn: Option<&str>,
    ) -> Value {
        let leaves = ReadOnly {
            generator: self,
            ti,
            region,
            own_arn,
        };
        let schema = prop_schema.unwrap_or(&Value::Null);
        Builder::new(&ti.definitions, leaves, 0).value(schema, name, &[], 0)
    }

    /// The text a string property gets before its schema is applied, from its name: ARNs,
    /// account ids, timestamps, regions, ids, DNS names, URLs, states.
    fn preferred_text(&mut self, ti: &TypeInfo, name: &str, region: &str) -> String {
        let lower = name.to_ascii_lowercase();
        let parts: Vec<&str> = ti.type_name.split("::").collect();
        let svc = parts
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        let res = parts
            .get(2)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        if lower.ends_with("arn") {
            format!("arn:aws:{svc}:{region}:{ACCOUNT_ID}:{res}/{}", self.uuid())
        } else if lower.contains("accountid") || lower == "owner" || lower == "ownerid" {
            ACCOUNT_ID.to_owned()
        } else if lower.ends_with("time")
            || lower.ends_with("date")
            || lower.ends_with("at")
            || lower.ends_with("timestamp")
        {
            time::rfc3339(time::epoch_seconds() as u64)
        } else if lower == "region" {
            region.to_owned()
        } else if lower.ends_with("domainname")
            || lower.ends_with("dnsname")
            || lower.ends_with("hostname")
            || lower.ends_with("address") && lower.contains("endpoint")
        {
            format!("{res}-{}.{svc}.{region}.amazonaws.com", self.hex(8))
        } else if lower.ends_with("url") || lower.ends_with("uri") {
            format!(
                "https://{res}-{}.{svc}.{region}.amazonaws.com/",
                self.hex(8)
            )
        } else if lower.ends_with("id") || lower.ends_with("identifier") {
            let prefix: String = res
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(8)
                .collect();
            format!("{prefix}-{}", self.hex(17))
        } else if lower.ends_with("status") || lower.ends_with("state") {
            "AVAILABLE".to_owned()
        } else {
            format!(
                "{}-{}",
                lower.chars().take(24).collect::<String>(),
                self.hex(12)
            )
        }
    }

    /// Fills missing primary-identifier parts, then missing read-only properties (so that a
    /// resource's own ARN can use its name).
    pub(super) fn generate(&mut self, ti: &TypeInfo, props: &mut Value, region: &str) {
        let paths: Vec<(&String, bool)> = ti
            .primary_identifier
            .iter()
            .map(|p| (p, true))
            .chain(ti.read_only.iter().map(|p| (p, false)))
            .collect();
        for (path, is_identifier) in paths {
            let name = schema::segments(path)
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let prop_schema = schema::schema_at(&ti.schema, &ti.definitions, path).cloned();
            let resource = ti.type_name.rsplit("::").next().unwrap_or_default();
            let own_arn = if path.as_str() == "Arn" || *path == format!("{resource}Arn") {
                real_arn(&ti.type_name, props, region, &mut || self.uuid())
            } else {
                None
            };
            schema::set_missing_path(
                props,
                path,
                &mut || {
                    Some(self.generate_value(
                        ti,
                        &name,
                        prop_schema.as_ref(),
                        region,
                        own_arn.as_deref(),
                    ))
                },
                is_identifier,
            );
        }
    }
}

/// The scalars of generated values: strings named after their property
/// ([`Generator::preferred_text`]), the resource's own ARN, numbers from a counter; objects get
/// their required members only.
struct ReadOnly<'g, 't> {
    generator: &'g mut Generator,
    ti: &'t TypeInfo,
    region: &'t str,
    own_arn: Option<&'t str>,
}

impl Leaves for ReadOnly<'_, '_> {
    fn fill_all(&self, _depth: usize) -> bool {
        false
    }

    fn text(&mut self, name: &str, depth: usize) -> String {
        match self.own_arn {
            Some(arn) if depth == 0 => arn.to_owned(),
            _ => self.generator.preferred_text(self.ti, name, self.region),
        }
    }

    /// The next counter value, within the bounds.
    fn number(&mut self, s: &Value) -> i64 {
        self.generator.seq += 1;
        let bound = |k: &str| s.get(k).and_then(Value::as_f64);
        let mut n = self.generator.seq as f64;
        if let Some(min) = bound("minimum") {
            n = n.max(min.ceil());
        }
        if let Some(min) = bound("exclusiveMinimum") {
            n = n.max(min.floor() + 1.0);
        }
        if let Some(max) = bound("maximum") {
            n = n.min(max.floor());
        }
        if let Some(max) = bound("exclusiveMaximum") {
            n = n.min(max.ceil() - 1.0);
        }
        n as i64
    }

    fn boolean(&mut self) -> bool {
        false
    }
}

/// How AWS spells the ARN of a resource of a common type: `{r}` region, `{a}` account, `{n}`
/// the value of the name property (a UUID when it is missing).
const ARN_FORMATS: &[(&str, &str, &str)] = &[
    ("AWS::S3::Bucket", "BucketName", "arn:aws:s3:::{n}"),
    ("AWS::IAM::Role", "RoleName", "arn:aws:iam::{a}:role/{n}"),
    ("AWS::IAM::User", "UserName", "arn:aws:iam::{a}:user/{n}"),
    ("AWS::IAM::Group", "GroupName", "arn:aws:iam::{a}:group/{n}"),
    (
        "AWS::IAM::ManagedPolicy",
        "ManagedPolicyName",
        "arn:aws:iam::{a}:policy/{n}",
    ),
    (
        "AWS::IAM::InstanceProfile",
        "InstanceProfileName",
        "arn:aws:iam::{a}:instance-profile/{n}",
    ),
    (
        "AWS::Lambda::Function",
        "FunctionName",
        "arn:aws:lambda:{r}:{a}:function:{n}",
    ),
    (
        "AWS::Logs::LogGroup",
        "LogGroupName",
        "arn:aws:logs:{r}:{a}:log-group:{n}:*",
    ),
    ("AWS::SNS::Topic", "TopicName", "arn:aws:sns:{r}:{a}:{n}"),
    ("AWS::SQS::Queue", "QueueName", "arn:aws:sqs:{r}:{a}:{n}"),
    (
        "AWS::DynamoDB::Table",
        "TableName",
        "arn:aws:dynamodb:{r}:{a}:table/{n}",
    ),
    (
        "AWS::ECR::Repository",
        "RepositoryName",
        "arn:aws:ecr:{r}:{a}:repository/{n}",
    ),
    (
        "AWS::StepFunctions::StateMachine",
        "StateMachineName",
        "arn:aws:states:{r}:{a}:stateMachine:{n}",
    ),
    (
        "AWS::Kinesis::Stream",
        "Name",
        "arn:aws:kinesis:{r}:{a}:stream/{n}",
    ),
    (
        "AWS::Events::EventBus",
        "Name",
        "arn:aws:events:{r}:{a}:event-bus/{n}",
    ),
    (
        "AWS::ECS::Cluster",
        "ClusterName",
        "arn:aws:ecs:{r}:{a}:cluster/{n}",
    ),
    (
        "AWS::EKS::Cluster",
        "Name",
        "arn:aws:eks:{r}:{a}:cluster/{n}",
    ),
];

/// The real ARN of a resource of a type [`ARN_FORMATS`] knows, from its properties.
fn real_arn(
    type_name: &str,
    props: &Value,
    region: &str,
    uuid: &mut dyn FnMut() -> String,
) -> Option<String> {
    let (_, name_prop, format) = ARN_FORMATS.iter().find(|(t, _, _)| *t == type_name)?;
    let name = match props.get(*name_prop) {
        Some(Value::String(n)) => n.clone(),
        _ => uuid(),
    };
    Some(
        format
            .replace("{r}", region)
            .replace("{a}", ACCOUNT_ID)
            .replace("{n}", &name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Budget;
    use serde_json::json;

    /// The repository's `provider-specs`, parsed once for the tests of this module.
    fn repo_registry() -> &'static crate::specs::Registry {
        static REGISTRY: std::sync::OnceLock<crate::specs::Registry> = std::sync::OnceLock::new();
        REGISTRY.get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
            let registry = crate::specs::Registry::index(&root).expect("provider-specs indexes");
            registry.load_all().expect("provider-specs parse");
            registry
        })
    }

    /// Every value generated for a type of `provider-specs` (its omitted primary identifier and
    /// its read-only properties) passes the emulator's own validation against the property's
    /// schema: pattern, length, format, enum, range, items, required members.
    #[test]
    fn generated_values_satisfy_their_own_schema_for_every_type() {
        let registry = repo_registry();
        let mut g = Generator::new(7);
        let budget = Budget::new(u64::MAX);
        let (mut checked, mut types) = (0, 0);
        let mut bad = Vec::new();
        for name in registry.type_names() {
            let ti = registry.get(name).expect("type loads");
            types += 1;
            let mut props = json!({});
            g.generate(&ti, &mut props, "eu-west-1");
            for path in ti.primary_identifier.iter().chain(&ti.read_only) {
                let Some(ps) = schema::schema_at(&ti.schema, &ti.definitions, path) else {
                    continue;
                };
                for at in schema::present_paths(&props, path) {
                    let Some(value) = schema::get_path(&props, at.trim_start_matches("#/")) else {
                        continue;
                    };
                    let mut out = Vec::new();
                    schema::validate(
                        value,
                        ps,
                        &ti.definitions,
                        &at,
                        &mut out,
                        Some(&ti.schema_name),
                        &budget,
                    );
                    checked += 1;
                    if !out.is_empty() {
                        bad.push(format!("{name} {at} = {value}: {}", schema::describe(&out)));
                    }
                }
            }
        }
        println!(
            "{checked} generated values of {types} types checked, {} invalid",
            bad.len()
        );
        assert!(types > 1_500, "{types} types");
        assert!(checked > 5_000, "{checked} values");
        assert!(bad.is_empty(), "{} invalid:\n{}", bad.len(), bad.join("\n"));
    }

    /// Common types get the ARN format AWS uses, built from the resource's name.
    #[test]
    fn own_arns_use_the_real_format() {
        let registry = repo_registry();
        let mut g = Generator::new(1);
        let cases = [
            (
                "AWS::S3::Bucket",
                json!({"BucketName": "my-bucket"}),
                "Arn",
                "arn:aws:s3:::my-bucket",
            ),
            (
                "AWS::IAM::Role",
                json!({"RoleName": "r1", "AssumeRolePolicyDocument": {}}),
                "Arn",
                "arn:aws:iam::123456789012:role/r1",
            ),
            (
                "AWS::Lambda::Function",
                json!({"FunctionName": "f"}),
                "Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:f",
            ),
            (
                "AWS::Logs::LogGroup",
                json!({"LogGroupName": "g"}),
                "Arn",
                "arn:aws:logs:eu-west-1:123456789012:log-group:g:*",
            ),
            (
                "AWS::SNS::Topic",
                json!({"TopicName": "t"}),
                "TopicArn",
                "arn:aws:sns:eu-west-1:123456789012:t",
            ),
            (
                "AWS::SQS::Queue",
                json!({"QueueName": "q"}),
                "Arn",
                "arn:aws:sqs:eu-west-1:123456789012:q",
            ),
        ];
        for (type_name, mut props, prop, want) in cases {
            let ti = registry.get(type_name).expect("type in provider-specs");
            g.generate(&ti, &mut props, "eu-west-1");
            assert_eq!(props[prop], json!(want), "{type_name}: {props}");
        }
        // Without a name, the generated name is used in the ARN.
        let ti = registry.get("AWS::S3::Bucket").expect("bucket");
        let mut props = json!({});
        g.generate(&ti, &mut props, "eu-west-1");
        let name = props["BucketName"].as_str().expect("bucket name generated");
        assert_eq!(props["Arn"], json!(format!("arn:aws:s3:::{name}")));
    }
}
