//! Which catalog product a Graph `skuPartNumber` is: a cloud benefit's own `sku` first,
//! else Microsoft's part numbers for the products a catalog can hold.

use crate::domain::Portfolio;

/// Microsoft's part numbers (skuPartNumber) and the product names the catalog uses.
pub const PART_NUMBERS: &[(&str, &str)] = &[
    ("SPE_E3", "Microsoft 365 E3"),
    ("SPE_E5", "Microsoft 365 E5"),
    ("SPB", "Microsoft 365 Business Premium"),
    ("ENTERPRISEPACK", "Office 365 E3"),
    ("ENTERPRISEPREMIUM", "Office 365 E5"),
    ("EMS", "Enterprise Mobility + Security E3"),
    ("EMSPREMIUM", "Enterprise Mobility + Security E5"),
    ("INTUNE_A", "Microsoft Intune"),
    ("POWER_BI_PRO", "Power BI Pro"),
    ("PROJECTPROFESSIONAL", "Project Plan 3"),
    ("DYN365_ENTERPRISE_SALES", "Dynamics 365 Sales Enterprise"),
    (
        "DYN365_ENTERPRISE_CUSTOMER_SERVICE",
        "Dynamics 365 Customer Service Enterprise",
    ),
];

/// How a part number was mapped, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// A cloud benefit's `sku` names it.
    Catalog(String),
    /// The built-in table names the product, and the catalog holds it.
    Table(String),
    /// The built-in table names a product no license benefit of the catalog holds.
    NotInCatalog(String),
    Unknown,
}

/// The product `sku` is in `portfolio`'s catalog (part numbers compare ignoring case).
pub fn product_of(portfolio: &Portfolio, sku: &str) -> Mapped {
    let licensed = || (portfolio.catalog.cloud_benefits.iter()).filter(|b| b.license.is_some());
    if let Some(b) = licensed().find(|b| {
        b.sku
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(sku))
    }) {
        return Mapped::Catalog(b.product.clone());
    }
    let Some((_, product)) = PART_NUMBERS
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(sku))
    else {
        return Mapped::Unknown;
    };
    // A benefit with its own `sku` is matched by that alone.
    if licensed().any(|b| b.product == *product && b.sku.is_none()) {
        Mapped::Table(product.to_string())
    } else {
        Mapped::NotInCatalog(product.to_string())
    }
}
