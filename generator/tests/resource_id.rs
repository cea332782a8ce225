//! A resource's id has one source, the model's `Resource::id` (`<provider>.<service>.<name>`,
//! built in lowering from the provider's name): the docs page's Id row and `FROM` clause and the
//! generated registry all show it, and the spec's own `id` member is not read. Checked on the
//! widgets fixture renamed to provider `acme`, with `id` members naming yet another provider.

use std::path::Path;

#[test]
fn docs_and_registry_show_the_models_id_built_from_the_provider_name() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs/aws");
    let root = tempfile::tempdir().expect("temp dir");
    let acme = root.path().join("acme");
    std::fs::create_dir_all(acme.join("services")).expect("services dir");
    let provider = std::fs::read_to_string(fixture.join("provider.yaml")).expect("provider.yaml");
    std::fs::write(
        acme.join("provider.yaml"),
        provider.replace("name: aws", "name: acme"),
    )
    .expect("write provider.yaml");
    let service =
        std::fs::read_to_string(fixture.join("services/widgets.yaml")).expect("widgets.yaml");
    assert!(service.contains("id: aws.widgets.widgets"));
    std::fs::write(
        acme.join("services/widgets.yaml"),
        service.replace("id: aws.", "id: elsewhere."),
    )
    .expect("write widgets.yaml");

    let providers = generator::load_specs(root.path()).expect("specs load");
    let provider = &providers[0];
    assert_eq!(provider.name, "acme");
    let docs = generator::docs::render_docs(provider).expect("docs render");
    let registry =
        generator::rust::render_crate(provider).expect("crate renders")["src/registry.rs"].clone();
    let mut checked = 0;
    for service in &provider.services {
        for resource in &service.resources {
            let id = format!("acme.{}.{}", service.name, resource.name);
            assert_eq!(resource.id, id);
            let page = &docs[&format!(
                "acme-docs/providers/acme/{}/{}/index.md",
                service.name, resource.name
            )];
            assert!(
                page.contains(&format!(
                    "<tr><td><b>Id</b></td><td><code>{id}</code></td></tr>"
                )),
                "{page}"
            );
            assert!(page.contains(&format!("\nFROM {id}\n")), "{page}");
            assert!(registry.contains(&format!("id: \"{id}\"")), "{registry}");
            checked += 1;
        }
    }
    assert_eq!(checked, 2);
    assert!(
        !registry.contains("elsewhere") && !registry.contains("\"aws."),
        "{registry}"
    );
}
