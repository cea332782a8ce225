//! The Markdown pages: one per resource, service and provider, in the format of the StackQL
//! provider docs site (see `docs-format.md`; the golden pages settle every byte), and where each
//! lands under the docs root.

use crate::model::{Field, Provider, Resource, ResourceKind, Service, SqlVerb};
use std::fmt::Write as _;

/// Services whose resources are global: their SELECT examples have no region filter.
const GLOBAL_SERVICES: &[&str] = &[
    "iam",
    "route53",
    "cloudfront",
    "wafv2",
    "shield",
    "globalaccelerator",
];

/// Escapes text for a table cell of the docs site (newlines become `<br/>`, and the characters
/// MDX or HTML would interpret become entities).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("&lt;br&#x2F;&gt;"),
            '/' => out.push_str("&#x2F;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            other => out.push(other),
        }
    }
    out
}

/// Escapes a name from the spec (a property column, a `type` value, a method, a handler, a
/// version) for a `<code>` element or a heading: one line (control characters become spaces),
/// and the characters MDX or HTML would interpret become entities, like [`escape`]; `/`, which
/// property paths hold (`schedule/schedule_id`), is harmless there and kept.
pub fn escape_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '`' => out.push_str("&#96;"),
            '&' => out.push_str("&amp;"),
            other => out.push(other),
        }
    }
    out
}

/// Spec text on one line of a fenced code block (a column, an identifier, a permission):
/// control characters become spaces, so it cannot start a line that closes the fence.
fn fence_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A code fence longer than any run of backticks in `body`, so no text inside can close it
/// (three backticks when the body has none, as on every real page).
fn fence(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// Folder of a provider's pages under the docs root (`aws-docs`).
pub fn provider_dir(provider: &str) -> String {
    format!("{provider}-docs")
}

/// Path of the provider page relative to the docs root.
pub fn provider_page_path(provider: &str) -> String {
    format!("{}/index.md", provider_dir(provider))
}

/// Path of a service page relative to the docs root.
pub fn service_page_path(provider: &str, service: &str) -> String {
    format!(
        "{}/providers/{provider}/{service}/index.md",
        provider_dir(provider)
    )
}

/// Path of a resource page relative to the docs root.
pub fn resource_page_path(provider: &str, service: &str, resource: &str) -> String {
    format!(
        "{}/providers/{provider}/{service}/{resource}/index.md",
        provider_dir(provider)
    )
}

fn front_matter(out: &mut String, provider: &str, title: &str, keywords: &[&str]) {
    out.push_str("---\n");
    let _ = writeln!(out, "title: {title}");
    out.push_str("hide_title: false\nhide_table_of_contents: false\nkeywords:\n");
    for keyword in keywords {
        let _ = writeln!(out, "  - {keyword}");
    }
    for keyword in [
        "stackql",
        "infrastructure-as-code",
        "configuration-as-data",
        "cloud inventory",
    ] {
        let _ = writeln!(out, "  - {keyword}");
    }
    let display = provider_display_name(provider);
    let _ = writeln!(
        out,
        "description: Query, deploy and manage {display} resources using SQL"
    );
    out.push_str("custom_edit_url: null\n");
    let _ = writeln!(
        out,
        "image: /img/providers/{provider}/stackql-{provider}-provider-featured-image.png"
    );
    out.push_str("---\n");
}

fn provider_display_name(provider: &str) -> String {
    provider.to_uppercase()
}

/// Whether the resource's page has a SELECT method (and so a SELECT example).
pub fn is_selectable(resource: &Resource) -> bool {
    resource.methods.iter().any(|m| m.verb == SqlVerb::Select)
}

/// The resource page.
pub fn resource_page(provider: &str, service: &Service, resource: &Resource) -> String {
    let name = resource.name.as_str();
    let service_name = service.name.as_str();
    let mut out = String::with_capacity(4096);
    front_matter(&mut out, provider, name, &[name, service_name, provider]);
    out.push_str(&summary(service, resource));
    out.push_str("\n\n## Overview\n<table><tbody>\n");
    let _ = writeln!(
        out,
        "<tr><td><b>Name</b></td><td><code>{name}</code></td></tr>"
    );
    out.push_str("<tr><td><b>Type</b></td><td>Resource</td></tr>\n");
    let description = match &resource.description {
        Some(d) => escape(d),
        None => name.to_owned(),
    };
    let _ = writeln!(
        out,
        "<tr><td><b>Description</b></td><td>{description}</td></tr>"
    );
    let _ = writeln!(
        out,
        "<tr><td><b>Id</b></td><td><code>{}</code></td></tr>",
        resource.id
    );
    out.push_str("</tbody></table>\n\n## Fields\n<table><tbody>\n<tr><th>Name</th><th>Datatype</th><th>Description</th></tr>\n");
    for field in &resource.fields {
        field_row(&mut out, field);
    }
    out.push_str(
        "<tr><td><code>region</code></td><td><code>string</code></td><td>AWS region.</td></tr>\n",
    );
    out.push_str("\n</tbody></table>\n\n## Methods\n\n<table><tbody>\n");
    out.push_str("  <tr>\n    <th>Name</th>\n    <th>Accessible by</th>\n    <th>Required Params</th>\n  </tr>\n");
    for method in &resource.methods {
        let _ = write!(
            out,
            "  <tr>\n    <td><code>{}</code></td>\n    <td><code>{}</code></td>\n    <td><code>{}</code></td>\n  </tr>\n",
            escape_name(method.kind.as_str()),
            escape_name(method.verb.as_str()),
            escape_name(&method.required_params.join(", "))
        );
    }
    out.push_str("</tbody></table>\n\n");
    if is_selectable(resource) {
        select_section(&mut out, service_name, resource);
    }
    permissions_section(&mut out, resource);
    out
}

/// The sibling of a Cloud Control resource: the resource of the same service and CloudFormation
/// type with the other kind (a list or create-only resource's `get` resource, a `get` resource's
/// list or create-only resource). Found through the model, never by inflecting names: the
/// importer's names (`location_efs` / `location_efs_list`) do not inflect into each other.
pub fn sibling<'a>(service: &'a Service, resource: &Resource) -> Option<&'a Resource> {
    let type_name = resource.type_name.as_deref()?;
    let wanted: &[ResourceKind] = match resource.kind {
        ResourceKind::List | ResourceKind::CreateOnly => &[ResourceKind::Get],
        ResourceKind::Get => &[ResourceKind::List, ResourceKind::CreateOnly],
        ResourceKind::CustomList | ResourceKind::Api => return None,
    };
    service.resources.iter().find(|other| {
        other.name != resource.name
            && wanted.contains(&other.kind)
            && other.type_name.as_deref() == Some(type_name)
    })
}

fn summary(service: &Service, resource: &Resource) -> String {
    let name = &resource.name;
    let sibling = sibling(service, resource).map(|other| other.name.as_str());
    match resource.kind {
        ResourceKind::List => match sibling {
            Some(other) => format!(
                "Used to retrieve a list of <code>{name}</code> in a region or create a <code>{name}</code> resource, use <code>{other}</code> to operate on an individual resource."
            ),
            None => format!(
                "Used to retrieve a list of <code>{name}</code> in a region or create a <code>{name}</code> resource."
            ),
        },
        ResourceKind::Get => match sibling {
            Some(other) => format!(
                "Gets or operates on an individual <code>{name}</code> resource, use <code>{other}</code> to retrieve a list of resources or to create a resource."
            ),
            None => format!("Gets or operates on an individual <code>{name}</code> resource."),
        },
        ResourceKind::CreateOnly => match sibling {
            Some(other) => format!(
                "Used to create a <code>{name}</code> resource, use <code>{other}</code> to operate on an individual resource."
            ),
            None => format!("Used to create a <code>{name}</code> resource."),
        },
        ResourceKind::CustomList => resource
            .description
            .as_deref()
            .map(escape)
            .unwrap_or_else(|| name.clone()),
        ResourceKind::Api => match &resource.description {
            Some(title) if title != name => format!(
                "Operates on <code>{name}</code> ({}) through the <code>{}</code> service API.",
                escape(title),
                service.name
            ),
            _ => format!(
                "Operates on <code>{name}</code> through the <code>{}</code> service API.",
                service.name
            ),
        },
    }
}

fn field_row(out: &mut String, field: &Field) {
    let description = field.description.as_deref().map(escape).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{description}</td></tr>",
        escape_name(&field.column),
        escape_name(&field.datatype)
    );
}

fn select_section(out: &mut String, service: &str, resource: &Resource) {
    let mut body = String::from("SELECT\nregion,\n");
    let columns: Vec<String> = resource
        .fields
        .iter()
        .map(|f| fence_text(&f.column))
        .collect();
    body.push_str(&columns.join(",\n"));
    let _ = writeln!(body, "\nFROM {}", resource.id);
    let global = GLOBAL_SERVICES.contains(&service);
    let region_filter = if global {
        String::new()
    } else {
        "WHERE region = 'us-east-1'".to_owned()
    };
    let where_clause = match resource.kind {
        ResourceKind::Get => {
            let ids: Vec<String> = resource
                .identifiers
                .iter()
                .map(|id| format!("<{}>", fence_text(id)))
                .collect();
            format!("WHERE data__Identifier = '{}';", ids.join("|"))
        }
        ResourceKind::CustomList => match &resource.example_where_clause {
            Some(clause) => format!("{clause};"),
            None => region_filter,
        },
        ResourceKind::Api => {
            let mut conditions: Vec<String> = Vec::new();
            if !global {
                conditions.push("region = 'us-east-1'".to_owned());
            }
            if let Some(select) = resource.methods.iter().find(|m| m.verb == SqlVerb::Select) {
                for param in select.required_params.iter().filter(|p| *p != "region") {
                    let param = fence_text(param);
                    conditions.push(format!("{param} = '<{param}>'"));
                }
            }
            if conditions.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", conditions.join(" AND "))
            }
        }
        ResourceKind::List | ResourceKind::CreateOnly => region_filter,
    };
    body.push_str(&where_clause);
    let fence = fence(&body);
    let _ = write!(out, "## `SELECT` Example\n{fence}sql\n{body}\n{fence}\n\n");
}

fn permissions_section(out: &mut String, resource: &Resource) {
    // The same table as the generated `policy` module's default operations.
    let included = resource.kind.handlers();
    let (heading, intro) = match &resource.permissions {
        Some(_) => (
            "## Permissions\n".to_owned(),
            format!("To operate on the <code>{}</code> resource, the following permissions are required:\n", resource.name),
        ),
        None => (String::new(), String::new()),
    };
    let sections: Vec<String> = resource
        .permissions
        .iter()
        .flatten()
        .filter(|(key, permissions)| included.contains(&key.as_str()) && !permissions.is_empty())
        .map(|(key, permissions)| {
            let body: Vec<String> = permissions.iter().map(|p| fence_text(p)).collect();
            let body = body.join(",\n");
            let fence = fence(&body);
            format!(
                "### {}\n{fence}json\n{body}\n{fence}\n",
                escape_name(&capitalize(key)),
            )
        })
        .collect();
    out.push_str(&heading);
    out.push('\n');
    out.push_str(&intro);
    out.push('\n');
    out.push_str(&sections.join("\n"));
    out.push('\n');
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Totals shown in the summary boxes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Resources.
    pub resources: usize,
    /// Resources with a SELECT method.
    pub selectable: usize,
    /// Rows of all Methods tables.
    pub methods: usize,
}

impl Totals {
    /// Totals of one service.
    pub fn of_service(service: &Service) -> Totals {
        Totals {
            resources: service.resources.len(),
            selectable: service
                .resources
                .iter()
                .filter(|r| is_selectable(r))
                .count(),
            methods: service.resources.iter().map(|r| r.methods.len()).sum(),
        }
    }
}

fn two_columns(out: &mut String, links: &[String]) {
    let first = links.len().div_ceil(2);
    out.push_str("<div class=\"row\">\n");
    for column in [&links[..first], &links[first..]] {
        out.push_str("<div class=\"providerDocColumn\">\n");
        out.push_str(&column.join("<br />\n"));
        out.push_str("\n</div>\n");
    }
    out.push_str("</div>");
}

/// The service page.
pub fn service_page(provider: &str, service: &Service) -> String {
    let mut out = String::with_capacity(2048);
    front_matter(
        &mut out,
        provider,
        &service.name,
        &[&service.name, provider],
    );
    let totals = Totals::of_service(service);
    let _ = write!(
        out,
        "\nThe {} service documentation.\n\n:::info Service Summary\n\n<div class=\"row\">\n<div class=\"providerDocColumn\">\n\
<span>total resources:&nbsp;<b>{}</b></span><br />\n\
<span>total selectable resources:&nbsp;<b>{}</b></span><br />\n\
<span>total methods:&nbsp;<b>{}</b></span><br />\n</div>\n</div>\n\n:::\n\n## Resources\n",
        service.name, totals.resources, totals.selectable, totals.methods
    );
    let mut names: Vec<&str> = service.resources.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    let links: Vec<String> = names
        .iter()
        .map(|name| {
            format!(
                "<a href=\"/providers/{provider}/{}/{name}/\">{name}</a>",
                service.name
            )
        })
        .collect();
    two_columns(&mut out, &links);
    out
}

/// The provider page (the site's landing page).
pub fn provider_page(provider: &Provider) -> String {
    let name = provider.name.as_str();
    let mut out = String::with_capacity(16 * 1024);
    front_matter(&mut out, name, name, &[name]);
    let mut totals = Totals::default();
    for service in &provider.services {
        let t = Totals::of_service(service);
        totals.resources += t.resources;
        totals.selectable += t.selectable;
        totals.methods += t.methods;
    }
    let cloud_control = provider.services.iter().filter(|s| s.cloud_control).count();
    let display = provider_display_name(name);
    let crate_name = crate::rust_crate_name(name);
    let policy_section = crate::rust::policy_docs_section(provider);
    let lifecycle = lifecycle_section(provider, &crate_name);
    let _ = write!(
        out,
        "\nDocumentation and typed Rust bindings for the {display} provider: every resource below can be queried with \
StackQL and, for Cloud Control resources, used from Rust through the generated <code>{crate_name}</code> crate.\n\n\
:::info Provider Summary\n\n<div class=\"row\">\n<div class=\"providerDocColumn\">\n\
<span>total services:&nbsp;<b>{}</b></span><br />\n\
<span>total resources:&nbsp;<b>{}</b></span><br />\n\
<span>total selectable resources:&nbsp;<b>{}</b></span><br />\n\
<span>total methods:&nbsp;<b>{}</b></span><br />\n</div>\n\
<div class=\"providerDocColumn\">\n\
<span>Cloud Control services:&nbsp;<b>{cloud_control}</b></span><br />\n\
<span>provider version:&nbsp;<b>{}</b></span><br />\n</div>\n</div>\n\n:::\n\n",
        provider.services.len(),
        totals.resources,
        totals.selectable,
        totals.methods,
        escape_name(&provider.version)
    );
    let _ = write!(
        out,
        "## Using the Rust crate\n\n\
Add the generated crate with the features of the services you use (each service is a Cargo feature; <code>full</code> enables all):\n\n\
```toml\n[dependencies]\n{crate_name} = {{ path = \"generated/{name}\", features = [\"codeconnections\"] }}\n```\n\n\
Each resource module holds typed models, create inputs, identifiers and the IAM permissions its operations need; \
list and create run through AWS Cloud Control API, and every singular resource module has <code>get</code>, \
<code>delete</code> and, where the type has an update handler, <code>update</code> with a typed patch.\n\n\
{lifecycle}\
{policy_section}\
## Authentication\n\n\
Credentials and region come from the standard AWS environment: <code>AWS_ACCESS_KEY_ID</code>, \
<code>AWS_SECRET_ACCESS_KEY</code> and <code>AWS_SESSION_TOKEN</code>, or a profile (<code>AWS_PROFILE</code>) \
from <code>~/.aws/config</code>, and <code>AWS_REGION</code>. <code>AWS_ENDPOINT_URL</code> points the client at \
another endpoint, such as the local Cloud Control emulator.\n\n## Services\n"
    );
    let links: Vec<String> = provider
        .services
        .iter()
        .map(|s| format!("<a href=\"/providers/{name}/{}/\">{}</a>", s.name, s.name))
        .collect();
    two_columns(&mut out, &links);
    out.push('\n');
    out
}

/// A whole resource lifecycle in Rust (create, get, update, list, delete), on the
/// provider page when the provider has the resources it uses (`logs.log_groups` and
/// `logs.log_group`). The code is `docs/snippets/lifecycle.rs`, which the CLI's
/// `provider_page` test compiles and runs against the emulator.
fn lifecycle_section(provider: &Provider, crate_name: &str) -> String {
    let has = |service: &str, resource: &str, kind: ResourceKind| {
        provider.services.iter().any(|s| {
            s.name == service
                && s.resources
                    .iter()
                    .any(|r| r.name == resource && r.kind == kind)
        })
    };
    if !(has("logs", "log_groups", ResourceKind::List)
        && has("logs", "log_group", ResourceKind::Get))
    {
        return String::new();
    }
    // The dependency line is a Markdown code span, not `<code>`: MDX reads a brace inside an
    // HTML element as an expression.
    format!(
        "### A whole lifecycle\n\n\
With the feature <code>logs</code> (`{crate_name} = {{ path = \"generated/{}\", features = [\"logs\"] }}`), \
inside an <code>async</code> function returning a <code>Result</code>:\n\n```rust\n{}```\n\n",
        provider.name,
        LIFECYCLE
    )
}

/// The code of [`lifecycle_section`].
const LIFECYCLE: &str = include_str!("snippets/lifecycle.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_maps_each_special_character() {
        assert_eq!(escape("a\nb"), "a&lt;br&#x2F;&gt;b");
        assert_eq!(escape("</p>"), "&lt;&#x2F;p&gt;");
        assert_eq!(escape("{x} [y]"), "&#123;x&#125; &#91;y&#93;");
        assert_eq!(escape("a & \"b\" `c`"), "a & \"b\" `c`");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn names_and_fences_cannot_break_out() {
        assert_eq!(
            escape_name("a</code><script>{x}</script>\n`[y]` & z"),
            "a&lt;/code&gt;&lt;script&gt;&#123;x&#125;&lt;/script&gt; &#96;&#91;y&#93;&#96; &amp; z"
        );
        assert_eq!(escape_name("schedule/schedule_id"), "schedule/schedule_id");
        assert_eq!(fence("s3:GetObject"), "```");
        assert_eq!(fence("a\n```\nb````c"), "`````");
        assert_eq!(fence_text("x:Y\n```\n"), "x:Y ``` ");
    }

    #[test]
    fn columns_split_with_the_first_holding_the_extra_link() {
        let mut out = String::new();
        two_columns(&mut out, &["a".into(), "b".into(), "c".into()]);
        assert_eq!(
            out,
            "<div class=\"row\">\n<div class=\"providerDocColumn\">\na<br />\nb\n</div>\n<div class=\"providerDocColumn\">\nc\n</div>\n</div>"
        );
    }

    #[test]
    fn capitalize_uppercases_the_first_letter_only() {
        assert_eq!(capitalize("create"), "Create");
        assert_eq!(capitalize("listAll"), "ListAll");
        assert_eq!(capitalize(""), "");
    }
}
