//! Syntax trees built directly for the most numerous items (struct definitions, their fields,
//! `with_` setters): parsing their token streams back with syn was over half of the emitter's
//! time. The trees are the ones syn would parse from the equivalent tokens; a test formats
//! every service both ways (directly, and through tokens and syn's parser) and requires the
//! same text.

use super::placeholders;
use super::types::{Field, ServiceTypes, Ty};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{token, Attribute, Expr, GenericArgument, Path, PathArguments, PathSegment, Type};

fn span() -> Span {
    Span::call_site()
}

/// A path like `::std::option::Option<T>` (`leading`: starts with `::`), with generic
/// arguments on its last segment.
pub(crate) fn path(leading: bool, segments: &[&str], args: Vec<Type>) -> Path {
    let mut punctuated: Punctuated<PathSegment, token::PathSep> = Punctuated::new();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        let arguments = if i == last && !args.is_empty() {
            PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
                colon2_token: None,
                lt_token: token::Lt::default(),
                args: args.iter().cloned().map(GenericArgument::Type).collect(),
                gt_token: token::Gt::default(),
            })
        } else {
            PathArguments::None
        };
        punctuated.push(PathSegment {
            ident: super::items::ident(segment),
            arguments,
        });
    }
    Path {
        leading_colon: leading.then(token::PathSep::default),
        segments: punctuated,
    }
}

/// A type path.
pub(crate) fn path_type(leading: bool, segments: &[&str], args: Vec<Type>) -> Type {
    Type::Path(syn::TypePath {
        qself: None,
        path: path(leading, segments, args),
    })
}

/// The type of a [`Ty`]; `prefix` qualifies named types (`super`).
pub(crate) fn ty(ty: &Ty, types: &ServiceTypes, prefix: Option<&str>) -> Type {
    match ty {
        Ty::String => path_type(true, &["std", "string", "String"], Vec::new()),
        Ty::I64 => path_type(false, &["i64"], Vec::new()),
        Ty::F64 => path_type(false, &["f64"], Vec::new()),
        Ty::Bool => path_type(false, &["bool"], Vec::new()),
        Ty::Value => path_type(true, &["serde_json", "Value"], Vec::new()),
        Ty::Vec(inner) => path_type(
            true,
            &["std", "vec", "Vec"],
            vec![self::ty(inner, types, prefix)],
        ),
        Ty::Map(inner) => path_type(
            true,
            &["std", "collections", "BTreeMap"],
            vec![
                path_type(true, &["std", "string", "String"], Vec::new()),
                self::ty(inner, types, prefix),
            ],
        ),
        Ty::Named(index) => {
            let name = types.types[*index].name.as_str();
            match prefix {
                Some(prefix) => path_type(false, &[prefix, name], Vec::new()),
                None => path_type(false, &[name], Vec::new()),
            }
        }
    }
}

/// The field's value type, boxed when recursive (without the `Option`).
pub(crate) fn value_type(field: &Field, types: &ServiceTypes) -> Type {
    let inner = ty(&field.ty, types, None);
    if field.boxed {
        path_type(true, &["std", "boxed", "Box"], vec![inner])
    } else {
        inner
    }
}

fn attribute(meta: syn::Meta) -> Attribute {
    Attribute {
        pound_token: token::Pound::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: token::Bracket::default(),
        meta,
    }
}

/// `#[name]`.
pub(crate) fn word_attr(name: &str) -> Attribute {
    attribute(syn::Meta::Path(path(false, &[name], Vec::new())))
}

/// `#[name(tokens)]`.
pub(crate) fn list_attr(name: &str, tokens: TokenStream) -> Attribute {
    attribute(syn::Meta::List(syn::MetaList {
        path: path(false, &[name], Vec::new()),
        delimiter: syn::MacroDelimiter::Paren(token::Paren::default()),
        tokens,
    }))
}

/// `#[doc = "..."]` attributes for doc lines (one placeholder when placeholders are on).
pub(crate) fn doc_attrs(lines: &[String]) -> Vec<Attribute> {
    placeholders::doc_values(lines)
        .into_iter()
        .map(|text| {
            attribute(syn::Meta::NameValue(syn::MetaNameValue {
                path: path(false, &["doc"], Vec::new()),
                eq_token: token::Eq::default(),
                value: Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Str(syn::LitStr::new(&text, span())),
                }),
            }))
        })
        .collect()
}

/// A `pub` named field.
pub(crate) fn field(attrs: Vec<Attribute>, name: &str, ty: Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(token::Pub::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(super::items::ident(name)),
        colon_token: Some(token::Colon::default()),
        ty,
    }
}

/// `pub struct Name { fields }`.
pub(crate) fn struct_item(attrs: Vec<Attribute>, name: &str, fields: Vec<syn::Field>) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(token::Pub::default()),
        struct_token: token::Struct::default(),
        ident: super::items::ident(name),
        generics: syn::Generics::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: token::Brace::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// `impl Name { items }`.
pub(crate) fn impl_item(name: &str, items: Vec<syn::ImplItem>) -> syn::Item {
    syn::Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: token::Impl::default(),
        generics: syn::Generics::default(),
        trait_: None,
        self_ty: Box::new(path_type(false, &[name], Vec::new())),
        brace_token: token::Brace::default(),
        items,
    })
}

fn path_expr(leading: bool, segments: &[&str]) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(leading, segments, Vec::new()),
    })
}

fn call(function: Expr, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// The setter of an optional field:
/// `pub fn with_x(mut self, value: impl ::std::convert::Into<T>) -> Self { self.x = ::std::option::Option::Some(value.into()); self }`.
pub(crate) fn setter(field: &Field, types: &ServiceTypes) -> syn::ImplItem {
    let doc = format!(" Sets {}.", super::rustdoc::code(&field.serde));
    let attrs = vec![
        attribute(syn::Meta::NameValue(syn::MetaNameValue {
            path: path(false, &["doc"], Vec::new()),
            eq_token: token::Eq::default(),
            value: Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(&doc, span())),
            }),
        })),
        word_attr("must_use"),
    ];
    let self_type = || path_type(false, &["Self"], Vec::new());
    let receiver = syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        reference: None,
        mutability: Some(token::Mut::default()),
        self_token: token::SelfValue::default(),
        colon_token: None,
        ty: Box::new(self_type()),
    });
    let bound = syn::TypeParamBound::Trait(syn::TraitBound {
        paren_token: None,
        modifier: syn::TraitBoundModifier::None,
        lifetimes: None,
        path: path(
            true,
            &["std", "convert", "Into"],
            vec![ty(&field.ty, types, None)],
        ),
    });
    let value_arg = syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: super::items::ident("value"),
            subpat: None,
        })),
        colon_token: token::Colon::default(),
        ty: Box::new(Type::ImplTrait(syn::TypeImplTrait {
            impl_token: token::Impl::default(),
            bounds: std::iter::once(bound).collect(),
        })),
    });
    let into = Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(path_expr(false, &["value"])),
        dot_token: token::Dot::default(),
        method: super::items::ident("into"),
        turbofish: None,
        paren_token: token::Paren::default(),
        args: Punctuated::new(),
    });
    let value = if field.boxed {
        call(path_expr(true, &["std", "boxed", "Box", "new"]), vec![into])
    } else {
        into
    };
    let assign = Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(path_expr(false, &["self"])),
            dot_token: token::Dot::default(),
            member: syn::Member::Named(super::items::ident(&field.ident)),
        })),
        eq_token: token::Eq::default(),
        right: Box::new(call(
            path_expr(true, &["std", "option", "Option", "Some"]),
            vec![value],
        )),
    });
    syn::ImplItem::Fn(syn::ImplItemFn {
        attrs,
        vis: syn::Visibility::Public(token::Pub::default()),
        defaultness: None,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: token::Fn::default(),
            ident: super::items::ident(&field.setter),
            generics: syn::Generics::default(),
            paren_token: token::Paren::default(),
            inputs: [receiver, value_arg].into_iter().collect(),
            variadic: None,
            output: syn::ReturnType::Type(token::RArrow::default(), Box::new(self_type())),
        },
        block: syn::Block {
            brace_token: token::Brace::default(),
            stmts: vec![
                syn::Stmt::Expr(assign, Some(token::Semi::default())),
                syn::Stmt::Expr(path_expr(false, &["self"]), None),
            ],
        },
    })
}

/// The `#[serde(...)]` attribute of a field, when it needs one.
pub(crate) fn serde_attr(field: &Field) -> Option<Attribute> {
    let serde_name = &field.serde;
    let rename = crate::naming::ident_text(&field.ident) != field.serde;
    let tokens = match (rename, field.optional) {
        (true, true) => {
            quote! { rename = #serde_name, skip_serializing_if = "::std::option::Option::is_none" }
        }
        (false, true) => quote! { skip_serializing_if = "::std::option::Option::is_none" },
        (true, false) => quote! { rename = #serde_name },
        (false, false) => return None,
    };
    Some(list_attr("serde", tokens))
}

fn doc_attr(text: &str) -> Attribute {
    attribute(syn::Meta::NameValue(syn::MetaNameValue {
        path: path(false, &["doc"], Vec::new()),
        eq_token: token::Eq::default(),
        value: Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::Str(syn::LitStr::new(text, span())),
        }),
    }))
}

fn typed_arg(name: &str, ty: Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: super::items::ident(name),
            subpat: None,
        })),
        colon_token: token::Colon::default(),
        ty: Box::new(ty),
    })
}

/// A doc attribute, then `#[must_use]`.
fn must_use_doc(doc: &str) -> Vec<Attribute> {
    vec![doc_attr(doc), word_attr("must_use")]
}

/// `required.<field>` (boxed when the field is).
fn required_member(field: &Field) -> Expr {
    let member = Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(path_expr(false, &["required"])),
        dot_token: token::Dot::default(),
        member: syn::Member::Named(super::items::ident(&field.ident)),
    });
    if field.boxed {
        call(
            path_expr(true, &["std", "boxed", "Box", "new"]),
            vec![member],
        )
    } else {
        member
    }
}

/// `pub fn new(required: <Name>Required) -> Self { Self { a: required.a, optional: None } }`
/// when the type has required members (gathered in the `…Required` struct `required`), or
/// `pub fn new() -> Self` with every member unset (`<Self as Default>::default()` when the
/// type is `Default`).
pub(crate) fn constructor(
    doc: &str,
    fields: &[Field],
    defaultable: bool,
    required: Option<&str>,
) -> syn::ImplItem {
    let inputs = required
        .map(|name| typed_arg("required", path_type(false, &[name], Vec::new())))
        .into_iter()
        .collect();
    let body = if defaultable && required.is_none() {
        let mut trait_path = path(true, &["std", "default", "Default", "default"], Vec::new());
        trait_path.leading_colon = Some(token::PathSep::default());
        call(
            Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: Some(syn::QSelf {
                    lt_token: token::Lt::default(),
                    ty: Box::new(path_type(false, &["Self"], Vec::new())),
                    position: 3,
                    as_token: Some(token::As::default()),
                    gt_token: token::Gt::default(),
                }),
                path: trait_path,
            }),
            Vec::new(),
        )
    } else {
        let inits = fields.iter().map(|f| {
            let expr = if f.optional {
                path_expr(true, &["std", "option", "Option", "None"])
            } else {
                required_member(f)
            };
            syn::FieldValue {
                attrs: Vec::new(),
                member: syn::Member::Named(super::items::ident(&f.ident)),
                colon_token: Some(token::Colon::default()),
                expr,
            }
        });
        Expr::Struct(syn::ExprStruct {
            attrs: Vec::new(),
            qself: None,
            path: path(false, &["Self"], Vec::new()),
            brace_token: token::Brace::default(),
            fields: inits.collect(),
            dot2_token: None,
            rest: None,
        })
    };
    syn::ImplItem::Fn(syn::ImplItemFn {
        attrs: must_use_doc(doc),
        vis: syn::Visibility::Public(token::Pub::default()),
        defaultness: None,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: token::Fn::default(),
            ident: super::items::ident("new"),
            generics: syn::Generics::default(),
            paren_token: token::Paren::default(),
            inputs,
            variadic: None,
            output: syn::ReturnType::Type(
                token::RArrow::default(),
                Box::new(path_type(false, &["Self"], Vec::new())),
            ),
        },
        block: syn::Block {
            brace_token: token::Brace::default(),
            stmts: vec![syn::Stmt::Expr(body, None)],
        },
    })
}

/// The impls every string enum has, parsed once per thread with the placeholder type
/// `__Enum`: `as_str` (its `match` arms are filled in) and `values` (its array), `From<&str>`
/// (its `match` arms), `From<String>`, `FromStr`, `AsRef<str>`, `Serialize` and `Deserialize`
/// (only the type changes).
fn enum_templates() -> syn::Result<Vec<syn::ItemImpl>> {
    thread_local! {
        static TEMPLATES: syn::Result<Vec<syn::ItemImpl>> = parse_enum_templates();
    }
    TEMPLATES.with(Clone::clone)
}

fn parse_enum_templates() -> syn::Result<Vec<syn::ItemImpl>> {
    let file: syn::File = syn::parse2(quote! {
        impl __Enum {
            /// The value as CloudFormation spells it.
            pub fn as_str(&self) -> &str {
                match self {}
            }
            /// The values this version knows, as CloudFormation spells them, in schema order.
            pub const fn values() -> &'static [&'static str] {
                &[]
            }
        }
        impl ::std::convert::From<&str> for __Enum {
            fn from(value: &str) -> Self {
                match value {}
            }
        }
        impl ::std::convert::From<::std::string::String> for __Enum {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::str::FromStr for __Enum {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl ::std::convert::AsRef<str> for __Enum {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::serde::Serialize for __Enum {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for __Enum {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    })?;
    Ok(file
        .items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Impl(item) => Some(item),
            _ => None,
        })
        .collect())
}

fn arm(pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: token::FatArrow::default(),
        body: Box::new(body),
        comma: Some(token::Comma::default()),
    }
}

fn str_lit(text: &str) -> syn::Lit {
    syn::Lit::Str(syn::LitStr::new(text, span()))
}

fn str_expr(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: str_lit(text),
    })
}

/// Sets the arms of the `match` in the first method of an impl.
fn set_match_arms(item: &mut syn::ItemImpl, arms: Vec<syn::Arm>) {
    if let Some(syn::ImplItem::Fn(function)) = item.items.first_mut() {
        if let Some(syn::Stmt::Expr(Expr::Match(matched), _)) = function.block.stmts.first_mut() {
            matched.arms = arms;
        }
    }
}

/// Sets the elements of the `&[]` the second method of an impl returns.
fn set_array(item: &mut syn::ItemImpl, elems: Vec<Expr>) {
    if let Some(syn::ImplItem::Fn(function)) = item.items.get_mut(1) {
        if let Some(syn::Stmt::Expr(Expr::Reference(reference), _)) =
            function.block.stmts.first_mut()
        {
            if let Expr::Array(array) = reference.expr.as_mut() {
                array.elems = elems.into_iter().collect();
            }
        }
    }
}

fn ident_pat(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: super::items::ident(name),
        subpat: None,
    })
}

fn method_call(receiver: Expr, method: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: token::Dot::default(),
        method: super::items::ident(method),
        turbofish: None,
        paren_token: token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// A string enum with its sealed `Unknown(crate::UnknownValue)` variant and its impls.
/// `variants` are `(ident, value, doc)`.
pub(crate) fn string_enum(
    attrs: Vec<Attribute>,
    name: &str,
    variants: &[(String, String, String)],
) -> syn::Result<Vec<syn::Item>> {
    let variant_path = |variant: &str| path(false, &["Self", variant], Vec::new());
    let mut enum_variants: Punctuated<syn::Variant, token::Comma> = variants
        .iter()
        .map(|(ident, _, doc)| syn::Variant {
            attrs: vec![doc_attr(doc)],
            ident: super::items::ident(ident),
            fields: syn::Fields::Unit,
            discriminant: None,
        })
        .collect();
    enum_variants.push(syn::Variant {
        attrs: vec![doc_attr(
            " A value this version does not know, kept as it was received.",
        )],
        ident: super::items::ident("Unknown"),
        fields: syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: token::Paren::default(),
            unnamed: std::iter::once(syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty: path_type(false, &["crate", "UnknownValue"], Vec::new()),
            })
            .collect(),
        }),
        discriminant: None,
    });
    enum_variants.push_punct(token::Comma::default());
    let item = syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: syn::Visibility::Public(token::Pub::default()),
        enum_token: token::Enum::default(),
        ident: super::items::ident(name),
        generics: syn::Generics::default(),
        brace_token: token::Brace::default(),
        variants: enum_variants,
    });
    let mut as_str_arms: Vec<syn::Arm> = variants
        .iter()
        .map(|(ident, value, _)| {
            arm(
                syn::Pat::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: variant_path(ident),
                }),
                str_expr(value),
            )
        })
        .collect();
    as_str_arms.push(arm(
        syn::Pat::TupleStruct(syn::PatTupleStruct {
            attrs: Vec::new(),
            qself: None,
            path: variant_path("Unknown"),
            paren_token: token::Paren::default(),
            elems: std::iter::once(ident_pat("value")).collect(),
        }),
        method_call(path_expr(false, &["value"]), "as_str", Vec::new()),
    ));
    let values: Vec<Expr> = variants
        .iter()
        .map(|(_, value, _)| str_expr(value))
        .collect();
    let mut from_arms: Vec<syn::Arm> = variants
        .iter()
        .map(|(ident, value, _)| {
            arm(
                syn::Pat::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: str_lit(value),
                }),
                Expr::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: variant_path(ident),
                }),
            )
        })
        .collect();
    // other => Self::Unknown(crate::UnknownValue(other.into()))
    let owned = method_call(path_expr(false, &["other"]), "into", Vec::new());
    from_arms.push(arm(
        ident_pat("other"),
        call(
            Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: variant_path("Unknown"),
            }),
            vec![call(
                path_expr(false, &["crate", "UnknownValue"]),
                vec![owned],
            )],
        ),
    ));
    let self_ty = path_type(false, &[name], Vec::new());
    let mut items = vec![item];
    let mut values = Some(values);
    for (index, mut template) in enum_templates()?.into_iter().enumerate() {
        template.self_ty = Box::new(self_ty.clone());
        match index {
            0 => {
                set_match_arms(&mut template, std::mem::take(&mut as_str_arms));
                set_array(&mut template, values.take().unwrap_or_default());
            }
            1 => set_match_arms(&mut template, std::mem::take(&mut from_arms)),
            _ => {}
        }
        items.push(syn::Item::Impl(template));
    }
    Ok(items)
}
