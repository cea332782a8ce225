//! Rendering the provider to YAML text and replacing the output directory atomically.

use crate::error::{Error, Result};
use crate::{yaml, Import, Service};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// The provider's directory under the output root.
pub const PROVIDER_DIR: &str = "aws";
/// The provider version StackQL uses for the AWS provider.
const VERSION: &str = "v00.00.00000";

/// Service-file boilerplate, byte-identical in every StackQL AWS service: `servers` through
/// `x-cloud-control-schemas`, then `securitySchemes`, then `paths` and `x-stackQL-config`.
const SERVICE_HEAD: &str = include_str!("../data/service_head.yaml");
const SERVICE_SECURITY: &str = include_str!("../data/service_security.yaml");
const SERVICE_TAIL: &str = include_str!("../data/service_tail.yaml");

/// One file to write, relative to `<out_root>/aws`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path (`provider.yaml`, `services/s3.yaml`).
    pub path: PathBuf,
    /// The YAML text.
    pub contents: String,
}

/// Renders `provider.yaml` and one file per service.
pub fn render(import: &Import) -> Vec<OutputFile> {
    let mut files = vec![OutputFile {
        path: PathBuf::from("provider.yaml"),
        contents: provider_yaml(&import.services),
    }];
    let services: Vec<OutputFile> = import
        .services
        .par_iter()
        .map(|s| OutputFile {
            path: Path::new("services").join(format!("{}.yaml", s.name)),
            contents: render_service(s),
        })
        .collect();
    files.extend(services);
    files
}

fn provider_yaml(services: &[Service]) -> String {
    let mut provider_services = Map::new();
    for s in services {
        provider_services.insert(
            s.name.clone(),
            json!({
                "id": format!("{}:{VERSION}", s.name),
                "name": s.name,
                "preferred": true,
                "service": { "$ref": format!("aws/{VERSION}/services/{}.yaml", s.name) },
                "title": s.name,
                "version": VERSION,
                "description": s.name,
            }),
        );
    }
    let doc = json!({
        "id": "aws",
        "name": "aws",
        "version": VERSION,
        "providerServices": provider_services,
        "config": { "auth": {
            "type": "aws_signing_v4",
            "credentialsenvvar": "AWS_SECRET_ACCESS_KEY",
            "keyIDenvvar": "AWS_ACCESS_KEY_ID",
        }},
    });
    match &doc {
        Value::Object(m) => yaml::to_string(m),
        _ => String::new(),
    }
}

/// Renders one service file: the fixed boilerplate around the service's title, schemas and
/// resources, laid out as js-yaml lays out StackQL's own files.
pub fn render_service(s: &Service) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("openapi: 3.0.0\ninfo:\n");
    let mut info = Map::new();
    info.insert("title".into(), Value::String(s.title.clone()));
    yaml::write_mapping(&mut out, &info, 2);
    out.push_str("  version: 2.0.0\n  x-serviceName: cloudcontrolapi\n");
    out.push_str(SERVICE_HEAD);
    out.push_str("  schemas:\n");
    yaml::write_mapping(&mut out, &s.schemas, 4);
    out.push_str(SERVICE_SECURITY);
    out.push_str("  x-stackQL-resources:\n");
    yaml::write_mapping(&mut out, &s.resources, 4);
    out.push_str(SERVICE_TAIL);
    out
}

/// Replaces `<out_root>/aws` with `files`: they are written to a temporary directory next to
/// it, which is then renamed into place, so a failure leaves the old provider untouched.
pub fn write_provider(out_root: &Path, files: &[OutputFile]) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(out_root).map_err(io(out_root))?;
    let pid = std::process::id();
    let target = out_root.join(PROVIDER_DIR);
    let staging = out_root.join(format!(".{PROVIDER_DIR}.import-{pid}"));
    let retired = out_root.join(format!(".{PROVIDER_DIR}.old-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    let written = write_all(&staging, files);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = target.exists();
    if had_old {
        if let Err(e) = std::fs::rename(&target, &retired) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::Output {
                path: target,
                message: format!("cannot move the old provider aside: {e}"),
            });
        }
    }
    if let Err(e) = std::fs::rename(&staging, &target) {
        if had_old {
            let _ = std::fs::rename(&retired, &target);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Error::Output {
            path: target,
            message: format!("cannot move the new provider into place: {e}"),
        });
    }
    if had_old {
        std::fs::remove_dir_all(&retired).map_err(io(&retired))?;
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let services = dir.join("services");
    std::fs::create_dir_all(&services).map_err(|source| Error::Io {
        path: services.clone(),
        source,
    })?;
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, &f.contents).map_err(|source| Error::Io { path, source })
    })
}
