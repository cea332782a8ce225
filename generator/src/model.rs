//! The checked intermediate model: provider → services → resources, with every `$ref`
//! verified and every docs field, method and permission set worked out. Emitters read only
//! this model (never the raw documents), and it holds no token streams or Markdown.

use indexmap::IndexMap;
use std::path::PathBuf;

/// A provider (`aws`) and its services, sorted by name.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Provider name (`aws`), also the folder name under the specs root.
    pub name: String,
    /// Provider version from `provider.yaml`.
    pub version: String,
    /// Services sorted by name.
    pub services: Vec<Service>,
}

/// One service (one `services/<name>.yaml`).
#[derive(Debug, Clone)]
pub struct Service {
    /// Service name: the spec file's stem.
    pub name: String,
    /// `info.title`.
    pub title: String,
    /// The spec file.
    pub file: PathBuf,
    /// Whether the service's resources go through Cloud Control API (they name a CloudFormation
    /// schema); the others (`iam_api`, `s3_api`, ...) call service APIs directly and are
    /// documented only.
    pub cloud_control: bool,
    /// Resources in document order.
    pub resources: Vec<Resource>,
    /// Named schemas of `components.schemas`, in document order.
    pub schemas: IndexMap<String, Node>,
}

/// What a resource is, what its methods do and the verbs reaching them: the spec format's
/// closed vocabularies, parsed from the spec's strings in one place ([`crate::lower`]).
pub use provider_spec::kinds::{MethodKind, ResourceKind, SqlVerb};

/// A StackQL resource (`connections`, `connection`, ...).
#[derive(Debug, Clone)]
pub struct Resource {
    /// Key under `x-stackQL-resources`.
    pub name: String,
    /// `<provider>.<service>.<name>` (`aws.logs.log_groups`): built once, in lowering; docs
    /// pages (Id row, `FROM`), the generated registry and the CLI use it.
    pub id: String,
    /// Kind of resource.
    pub kind: ResourceKind,
    /// CloudFormation type name (`AWS::CodeConnections::Connection`), Cloud Control only.
    pub type_name: Option<String>,
    /// Name of its schema in [`Service::schemas`], Cloud Control only.
    pub schema_name: Option<String>,
    /// Description of the schema (Cloud Control) or the resource's title (others).
    pub description: Option<String>,
    /// Identifier properties as written (`Outer/Inner` paths allowed).
    pub identifiers: Vec<String>,
    /// The fields of its docs page (and list row), without the trailing `region` field.
    pub fields: Vec<Field>,
    /// The methods of its docs page, in page order.
    pub methods: Vec<Method>,
    /// IAM permissions per handler (`create`, `read`, ...) in document order, when the schema
    /// has `x-required-permissions`.
    pub permissions: Option<IndexMap<String, Vec<String>>>,
    /// Property sets of the CloudFormation schema.
    pub properties: PropertySets,
    /// `x-example-where-clause` of a custom list, when non-empty.
    pub example_where_clause: Option<String>,
}

/// The CloudFormation property sets of a resource schema (top-level property names).
#[derive(Debug, Clone, Default)]
pub struct PropertySets {
    /// `x-read-only-properties`, as property paths (`Arn`, `Config/Id`, `Tags/*/Key`).
    pub read_only: Vec<String>,
    /// `x-create-only-properties`, as property paths (`Arn`, `Config/Id`, `Tags/*/Key`).
    pub create_only: Vec<String>,
    /// `x-write-only-properties`, as property paths (`Arn`, `Config/Id`, `Tags/*/Key`).
    pub write_only: Vec<String>,
    /// `x-required-properties` (else the schema's `required`).
    pub required: Vec<String>,
    /// `x-list-required-properties`: what a list request needs (parent properties).
    pub list_required: Vec<String>,
    /// The primary identifier ([`provider_spec::index::primary_identifier`]: the schema's
    /// `x-stackql-primary-identifier`, else the resource's `x-identifiers`), as property paths.
    pub primary_identifier: Vec<String>,
}

/// A field of a docs page: a schema property or identifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name or identifier path as written (`ConnectionArn`, `Schedule/ScheduleId`).
    pub name: String,
    /// Column name ([`crate::naming::column_name`] of `name`, except for non-Cloud-Control
    /// resources whose columns are the API's own names).
    pub column: String,
    /// Datatype as the docs show it (`string`, `array`, `object`, ...).
    pub datatype: String,
    /// Description, unescaped.
    pub description: Option<String>,
}

/// A method row of a docs page.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// What the method does; its name is [`MethodKind::as_str`] (`create_resource`,
    /// `list_resource`, `view`, `access_keys_List`).
    pub kind: MethodKind,
    /// SQL verb (`SELECT`, `INSERT`, `UPDATE`, `DELETE`, `EXEC`).
    pub verb: SqlVerb,
    /// Required parameters, `region` last.
    pub required_params: Vec<String>,
}

/// A schema node with references left as names (recursion stays finite).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Description.
    pub description: Option<String>,
    /// The `type` keyword as written (several types joined by `, `).
    pub declared_type: Option<String>,
    /// The shape of the values.
    pub shape: Shape,
}

/// What values a [`Node`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A reference to another named schema of the same service.
    Ref(String),
    /// A string, with its allowed values when it is an enum.
    String {
        /// `enum` values (empty: any string).
        enum_values: Vec<String>,
    },
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An array of items.
    Array(Box<Node>),
    /// An object with named properties.
    Object {
        /// Properties in document order.
        properties: IndexMap<String, Node>,
        /// Required property names.
        required: Vec<String>,
        /// `additionalProperties: false`.
        closed: bool,
    },
    /// A map from string keys to values (`additionalProperties` / `patternProperties`).
    Map(Box<Node>),
    /// Anything (`oneOf`, `anyOf`, several types, or no type at all).
    Any,
}

impl Node {
    /// A node holding anything.
    pub fn any() -> Node {
        Node {
            description: None,
            declared_type: None,
            shape: Shape::Any,
        }
    }
}
