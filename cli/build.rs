//! Makes the provider page's lifecycle code (`generator/src/docs/snippets/lifecycle.rs`, plain
//! statements as the page shows them) the body of an `async fn`, which the `provider_page`
//! test includes, compiles and runs.

use std::path::PathBuf;

fn main() {
    let snippet = "../generator/src/docs/snippets/lifecycle.rs";
    println!("cargo:rerun-if-changed={snippet}");
    let code = match std::fs::read_to_string(snippet) {
        Ok(code) => code,
        Err(e) => {
            println!("cargo:warning=cannot read {snippet}: {e}");
            return;
        }
    };
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let function = format!(
        "/// The provider page's lifecycle code, as the body of the function it runs in.\n\
         async fn lifecycle() -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {{\n\
         {code}\nOk(())\n}}\n"
    );
    if let Err(e) = std::fs::write(out.join("lifecycle.rs"), function) {
        println!("cargo:warning=cannot write lifecycle.rs: {e}");
    }
}
