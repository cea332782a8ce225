//! `x-stackQL-resources`: the resources a type produces, their methods, sqlVerbs and views
//! (cfn-import.md §4, §5).

use crate::naming::{self, ResourceNames};
use crate::schema::CfnType;
use crate::Warning;
use provider_spec::kinds::{MethodKind, ResourceKind, SqlVerb};
use serde_json::{json, Map, Value};

/// The region every generated view filters on, as in StackQL's output.
const VIEW_REGION: &str = "us-east-1";

/// Adds the plural and singular resources of type `t` (whose converted resource schema is
/// `schema`) to `resources`. A name already used by another type of the service gets a numeric
/// suffix and a warning instead of overwriting it.
pub(crate) fn add_resources(
    service: &str,
    t: &CfnType,
    names: &ResourceNames,
    schema: &Map<String, Value>,
    resources: &mut Map<String, Value>,
    warnings: &mut Vec<Warning>,
) {
    // A handler counts as present when it has a permissions entry, even an empty one.
    let handlers: Vec<&str> = schema
        .get("x-required-permissions")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let has = |h: &str| handlers.contains(&h);
    let identifiers: Vec<String> = schema
        .get("x-stackql-primary-identifier")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let ctx = Ctx {
        service,
        t,
        identifiers: &identifiers,
        schema,
    };

    if has("list") || has("create") {
        let name = unique_name(&names.plural, t, resources, warnings);
        let mut methods = Map::new();
        if has("create") {
            methods.insert(
                MethodKind::Create.as_str().into(),
                method("Create", &t.type_name),
            );
        }
        let view = has("list").then(|| list_view(&ctx));
        resources.insert(
            name.clone(),
            ctx.entry(
                &name,
                methods,
                &[SqlVerb::Insert],
                has("list").then_some(ResourceKind::List),
                view,
            ),
        );
    }
    if has("read") || has("update") || has("delete") {
        let name = unique_name(&names.singular, t, resources, warnings);
        let mut methods = Map::new();
        if has("update") {
            methods.insert(
                MethodKind::Update.as_str().into(),
                method("Update", &t.type_name),
            );
        }
        if has("delete") {
            methods.insert(
                MethodKind::Delete.as_str().into(),
                method("Delete", &t.type_name),
            );
        }
        let view = has("read").then(|| get_view(&ctx));
        resources.insert(
            name.clone(),
            ctx.entry(
                &name,
                methods,
                &[SqlVerb::Update, SqlVerb::Delete],
                has("read").then_some(ResourceKind::Get),
                view,
            ),
        );
    }
}

fn unique_name(
    wanted: &str,
    t: &CfnType,
    resources: &Map<String, Value>,
    warnings: &mut Vec<Warning>,
) -> String {
    if !resources.contains_key(wanted) {
        return wanted.to_string();
    }
    let name = provider_spec::unique::UniqueNames::with_taken(resources.keys()).claim(wanted, "_");
    warnings.push(Warning::RenamedResource {
        type_name: t.type_name.clone(),
        wanted: wanted.to_string(),
        used: name.clone(),
    });
    name
}

struct Ctx<'a> {
    service: &'a str,
    t: &'a CfnType,
    identifiers: &'a [String],
    schema: &'a Map<String, Value>,
}

impl Ctx<'_> {
    fn entry(
        &self,
        name: &str,
        methods: Map<String, Value>,
        verbs: &[SqlVerb],
        kind: Option<ResourceKind>,
        view: Option<Value>,
    ) -> Value {
        let mut e = Map::new();
        e.insert("name".into(), json!(name));
        e.insert("id".into(), json!(format!("aws.{}.{}", self.service, name)));
        e.insert("x-cfn-schema-name".into(), json!(self.t.key));
        e.insert("x-cfn-type-name".into(), json!(self.t.type_name));
        if let Some(ids) = self.schema.get("x-stackql-primary-identifier") {
            e.insert("x-identifiers".into(), ids.clone());
        }
        let mut sql_verbs = Map::new();
        for &verb in verbs {
            let method = match verb {
                SqlVerb::Insert => MethodKind::Create,
                SqlVerb::Update => MethodKind::Update,
                _ => MethodKind::Delete,
            };
            let method = method.as_str();
            let refs: Vec<Value> = if methods.contains_key(method) {
                vec![
                    json!({ "$ref": format!("#/components/x-stackQL-resources/{name}/methods/{method}") }),
                ]
            } else {
                Vec::new()
            };
            sql_verbs.insert(verb.key().to_string(), Value::Array(refs));
        }
        e.insert("methods".into(), Value::Object(methods));
        e.insert("sqlVerbs".into(), Value::Object(sql_verbs));
        if let Some(x_type) = kind.and_then(ResourceKind::x_type) {
            e.insert("x-type".into(), json!(x_type));
        }
        if let Some(view) = view {
            e.insert("config".into(), json!({ "views": { "select": view } }));
        }
        Value::Object(e)
    }
}

fn method(action: &str, type_name: &str) -> Value {
    // JSON.stringify({TypeName}, null, 2), as the original writes it.
    let quoted = serde_json::to_string(type_name).unwrap_or_else(|_| format!("\"{type_name}\""));
    json!({
        "operation": { "$ref": format!("#/paths/~1?Action={action}Resource&Version=2021-09-30/post") },
        "request": {
            "mediaType": "application/x-amz-json-1.0",
            "base": format!("{{\n  \"TypeName\": {quoted}\n}}"),
        },
        "response": { "mediaType": "application/json", "openAPIDocKey": "200" },
    })
}

/// A view column: the property path (pointer parts) and its alias.
struct Column {
    parts: Vec<String>,
    alias: String,
}

impl Column {
    fn new(pointer: &str) -> Column {
        let parts: Vec<String> = pointer.split('/').map(str::to_string).collect();
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        let alias = naming::column_alias(&refs);
        Column { parts, alias }
    }

    fn sqlite(&self) -> String {
        format!(
            "JSON_EXTRACT(Properties, '$.{}') as {}",
            self.parts.join("."),
            self.alias
        )
    }

    fn postgres(&self) -> String {
        let args: Vec<String> = self.parts.iter().map(|p| format!("'{p}'")).collect();
        format!(
            "json_extract_path_text(Properties, {}) as {}",
            args.join(", "),
            self.alias
        )
    }
}

fn list_view(ctx: &Ctx<'_>) -> Value {
    let columns: Vec<Column> = ctx.identifiers.iter().map(|id| Column::new(id)).collect();
    let tail = [
        format!(
            "FROM aws.cloud_control.resources WHERE data__TypeName = '{}'",
            ctx.t.type_name
        ),
        format!("AND region = '{VIEW_REGION}'"),
    ];
    view(&["region"], &columns, &tail)
}

fn get_view(ctx: &Ctx<'_>) -> Value {
    let columns: Vec<Column> = ctx
        .schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(|k| Column::new(k)).collect())
        .unwrap_or_default();
    let identifier: Vec<String> = ctx.identifiers.iter().map(|id| format!("<{id}>")).collect();
    let tail = [
        format!(
            "FROM aws.cloud_control.resource WHERE data__TypeName = '{}'",
            ctx.t.type_name
        ),
        format!("AND data__Identifier = '{}'", identifier.join("|")),
        format!("AND region = '{VIEW_REGION}'"),
    ];
    view(&["region", "data__Identifier"], &columns, &tail)
}

/// `SELECT` + fixed columns + property columns (comma-separated, one per line) + `FROM ...`, for
/// SQLite with a Postgres fallback.
fn view(fixed: &[&str], columns: &[Column], tail: &[String]) -> Value {
    let ddl = |column: fn(&Column) -> String| {
        let mut cols: Vec<String> = fixed.iter().map(|c| (*c).to_string()).collect();
        cols.extend(columns.iter().map(column));
        format!("SELECT\n{}\n{}", cols.join(",\n"), tail.join("\n"))
    };
    json!({
        "predicate": "sqlDialect == \"sqlite3\"",
        "ddl": ddl(Column::sqlite),
        "fallback": {
            "predicate": "sqlDialect == \"postgres\"",
            "ddl": ddl(Column::postgres),
        }
    })
}
