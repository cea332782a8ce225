//! The closed vocabularies of a StackQL resource entry, as types: what a resource is
//! ([`ResourceKind`], from `x-type`), what its methods do ([`MethodKind`], from their names) and
//! the SQL verbs that reach them ([`SqlVerb`], the keys of `sqlVerbs`).
//!
//! Each spelling is written once, here: the generator's lowering parses the spec's strings
//! into these types (and names the file and path of an unknown one), the emitters match on the
//! types and print [`MethodKind::as_str`] / [`SqlVerb::as_str`], and the importer writes specs
//! with the same functions.

/// What a StackQL resource is, from `x-type` (Cloud Control) or the lack of a CloudFormation
/// schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// Plural resource: list and create (`x-type: list`).
    List,
    /// Singular resource: read, update, delete one by identifier (`x-type: get`).
    Get,
    /// A custom SELECT view over another service's API (`x-type: custom_list`).
    CustomList,
    /// Plural resource of a type that cannot be listed: create only (no `x-type`).
    CreateOnly,
    /// A resource of a non-Cloud-Control service whose methods are plain API operations.
    Api,
}

impl ResourceKind {
    /// The kinds a Cloud Control resource's `x-type` can name.
    pub const X_TYPES: [ResourceKind; 3] = [
        ResourceKind::List,
        ResourceKind::Get,
        ResourceKind::CustomList,
    ];

    /// The kind of a Cloud Control resource with this `x-type` (`None`: no `x-type`, a
    /// create-only resource); an unknown spelling is `Err` with the expected ones.
    pub fn from_x_type(x_type: Option<&str>) -> Result<ResourceKind, UnknownName> {
        let Some(x_type) = x_type else {
            return Ok(ResourceKind::CreateOnly);
        };
        Self::X_TYPES
            .into_iter()
            .find(|kind| kind.as_str() == x_type)
            .ok_or_else(|| UnknownName {
                what: "resource type",
                name: x_type.to_owned(),
                expected: "list, get or custom_list",
            })
    }

    /// The `x-type` a spec writes for this kind (`None` for create-only and API resources).
    pub fn x_type(self) -> Option<&'static str> {
        Self::X_TYPES.contains(&self).then(|| self.as_str())
    }

    /// The kind's name: its `x-type` (`list`, `get`, `custom_list`) where it has one, else
    /// `create_only` or `api` (the generated docs site's panel data).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::List => "list",
            ResourceKind::Get => "get",
            ResourceKind::CustomList => "custom_list",
            ResourceKind::CreateOnly => "create_only",
            ResourceKind::Api => "api",
        }
    }

    /// The handlers (`create`, `read`, `update`, `delete`, `list`) whose operations a resource
    /// of this kind offers: the docs page's Permissions section lists their permissions, and the
    /// generated `policy` module allows them by default. One table, so both always agree.
    pub fn handlers(self) -> &'static [&'static str] {
        match self {
            ResourceKind::List | ResourceKind::CreateOnly => &["create", "list"],
            ResourceKind::Get | ResourceKind::CustomList => &["read", "update", "delete"],
            ResourceKind::Api => &[],
        }
    }
}

/// What a method does. The Cloud Control methods have fixed names (`create_resource`, ...);
/// any other name (an API resource's operation, `access_keys_List`) is [`MethodKind::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MethodKind {
    /// `create_resource`: Cloud Control `CreateResource`.
    Create,
    /// `get_resource`: Cloud Control `GetResource`.
    Get,
    /// `update_resource`: Cloud Control `UpdateResource`.
    Update,
    /// `delete_resource`: Cloud Control `DeleteResource`.
    Delete,
    /// `list_resource`: Cloud Control `ListResources`.
    List,
    /// `view`: the SELECT of a custom list.
    View,
    /// A method with another name, kept as written.
    Other(String),
}

impl MethodKind {
    /// The kinds with a fixed name, in this order.
    pub const NAMED: [MethodKind; 6] = [
        MethodKind::Create,
        MethodKind::Get,
        MethodKind::Update,
        MethodKind::Delete,
        MethodKind::List,
        MethodKind::View,
    ];

    /// The kind of the method called `name`: a fixed name is its kind, anything else
    /// [`MethodKind::Other`]. `from_name(n).as_str() == n` for every `n`.
    pub fn from_name(name: &str) -> MethodKind {
        Self::NAMED
            .iter()
            .find(|kind| kind.as_str() == name)
            .cloned()
            .unwrap_or_else(|| MethodKind::Other(name.to_owned()))
    }

    /// The method's name as specs and docs pages write it (`create_resource`).
    pub fn as_str(&self) -> &str {
        match self {
            MethodKind::Create => "create_resource",
            MethodKind::Get => "get_resource",
            MethodKind::Update => "update_resource",
            MethodKind::Delete => "delete_resource",
            MethodKind::List => "list_resource",
            MethodKind::View => "view",
            MethodKind::Other(name) => name,
        }
    }

    /// The parameters a Cloud Control method requires, `region` last (a list's parent
    /// properties come before `region` and are not included; other methods: `region`).
    pub fn required_params(&self) -> &'static [&'static str] {
        match self {
            MethodKind::Create => &["data__DesiredState", "region"],
            MethodKind::Update => &["data__Identifier", "data__PatchDocument", "region"],
            MethodKind::Delete | MethodKind::Get => &["data__Identifier", "region"],
            _ => &["region"],
        }
    }
}

impl std::fmt::Display for MethodKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The SQL verb through which a method is reached: the keys of a resource's `sqlVerbs`, plus
/// `EXEC` for methods no verb reaches. `replace` is StackQL's `REPLACE` (a full update, usually
/// an HTTP `PUT`); the 2024-05 AWS provider has none, but StackQL's format defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SqlVerb {
    /// `SELECT`.
    Select,
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `REPLACE`.
    Replace,
    /// `DELETE`.
    Delete,
    /// `EXEC`.
    Exec,
}

impl SqlVerb {
    /// Every verb, in this order.
    pub const ALL: [SqlVerb; 6] = [
        SqlVerb::Select,
        SqlVerb::Insert,
        SqlVerb::Update,
        SqlVerb::Replace,
        SqlVerb::Delete,
        SqlVerb::Exec,
    ];

    /// The verb as SQL and docs pages spell it (`SELECT`).
    pub fn as_str(self) -> &'static str {
        match self {
            SqlVerb::Select => "SELECT",
            SqlVerb::Insert => "INSERT",
            SqlVerb::Update => "UPDATE",
            SqlVerb::Replace => "REPLACE",
            SqlVerb::Delete => "DELETE",
            SqlVerb::Exec => "EXEC",
        }
    }

    /// The verb as a `sqlVerbs` key (`select`).
    pub fn key(self) -> &'static str {
        match self {
            SqlVerb::Select => "select",
            SqlVerb::Insert => "insert",
            SqlVerb::Update => "update",
            SqlVerb::Replace => "replace",
            SqlVerb::Delete => "delete",
            SqlVerb::Exec => "exec",
        }
    }

    /// The verb of a `sqlVerbs` key (ASCII case ignored); an unknown key is `Err` with the
    /// expected ones.
    pub fn from_key(key: &str) -> Result<SqlVerb, UnknownName> {
        Self::ALL
            .into_iter()
            .find(|verb| verb.key().eq_ignore_ascii_case(key))
            .ok_or_else(|| UnknownName {
                what: "SQL verb",
                name: key.to_owned(),
                expected: "select, insert, update, replace, delete or exec",
            })
    }
}

impl std::fmt::Display for SqlVerb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A spelling outside a closed vocabulary (an `x-type` or a `sqlVerbs` key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}` (expected {expected})")]
pub struct UnknownName {
    /// What was being named (`SQL verb`).
    pub what: &'static str,
    /// The name as written.
    pub name: String,
    /// The accepted spellings.
    pub expected: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_round_trip_and_fixed_names_have_kinds() {
        for kind in MethodKind::NAMED {
            assert_eq!(MethodKind::from_name(kind.as_str()), kind);
        }
        assert_eq!(MethodKind::from_name("create_resource"), MethodKind::Create);
        let other = MethodKind::from_name("access_keys_List");
        assert_eq!(other, MethodKind::Other("access_keys_List".to_owned()));
        assert_eq!(other.as_str(), "access_keys_List");
    }

    #[test]
    fn sql_verb_keys_parse_case_insensitively_and_unknown_ones_are_named() {
        for verb in SqlVerb::ALL {
            assert_eq!(SqlVerb::from_key(verb.key()), Ok(verb));
            assert_eq!(verb.as_str(), verb.key().to_uppercase());
        }
        assert_eq!(SqlVerb::from_key("Insert"), Ok(SqlVerb::Insert));
        assert_eq!(SqlVerb::from_key("REPLACE"), Ok(SqlVerb::Replace));
        let err = SqlVerb::from_key("upsert").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown SQL verb `upsert` (expected select, insert, update, replace, delete or exec)"
        );
    }

    #[test]
    fn x_types_parse_and_a_missing_one_is_create_only() {
        assert_eq!(
            ResourceKind::from_x_type(None),
            Ok(ResourceKind::CreateOnly)
        );
        for kind in ResourceKind::X_TYPES {
            assert_eq!(ResourceKind::from_x_type(kind.x_type()), Ok(kind));
        }
        assert_eq!(
            ResourceKind::from_x_type(Some("custom_list")),
            Ok(ResourceKind::CustomList)
        );
        assert_eq!(ResourceKind::CreateOnly.x_type(), None);
        assert!(ResourceKind::from_x_type(Some("bogus"))
            .unwrap_err()
            .to_string()
            .contains("unknown resource type `bogus`"));
    }
}
