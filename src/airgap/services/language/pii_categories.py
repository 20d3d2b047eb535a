"""The ``piiCategories`` names Azure accepts (the ``PiiCategory`` enum of the 2023-04-01 and v3.1 specs).

A name from this list that no bundled recognizer produces is valid and simply
selects nothing; any other name is a 400. ``All`` and ``Default`` select every category.
"""

from __future__ import annotations

PII_CATEGORIES: tuple[str, ...] = (
    "ABARoutingNumber", "ARNationalIdentityNumber", "AUBankAccountNumber", "AUDriversLicenseNumber",
    "AUMedicalAccountNumber", "AUPassportNumber", "AUTaxFileNumber", "AUBusinessNumber", "AUCompanyNumber",
    "ATIdentityCard", "ATTaxIdentificationNumber", "ATValueAddedTaxNumber", "AzureDocumentDBAuthKey",
    "AzureIAASDatabaseConnectionAndSQLString", "AzureIoTConnectionString", "AzurePublishSettingPassword",
    "AzureRedisCacheString", "AzureSAS", "AzureServiceBusString", "AzureStorageAccountKey",
    "AzureStorageAccountGeneric", "BENationalNumber", "BENationalNumberV2", "BEValueAddedTaxNumber", "BRCPFNumber",
    "BRLegalEntityNumber", "BRNationalIDRG", "BGUniformCivilNumber", "CABankAccountNumber",
    "CADriversLicenseNumber", "CAHealthServiceNumber", "CAPassportNumber", "CAPersonalHealthIdentification",
    "CASocialInsuranceNumber", "CLIdentityCardNumber", "CNResidentIdentityCardNumber", "CreditCardNumber",
    "HRIdentityCardNumber", "HRNationalIDNumber", "HRPersonalIdentificationNumber",
    "HRPersonalIdentificationOIBNumberV2", "CYIdentityCard", "CYTaxIdentificationNumber",
    "CZPersonalIdentityNumber", "CZPersonalIdentityV2", "DKPersonalIdentificationNumber",
    "DKPersonalIdentificationV2", "DrugEnforcementAgencyNumber", "EEPersonalIdentificationCode",
    "EUDebitCardNumber", "EUDriversLicenseNumber", "EUGPSCoordinates", "EUNationalIdentificationNumber",
    "EUPassportNumber", "EUSocialSecurityNumber", "EUTaxIdentificationNumber", "FIEuropeanHealthNumber",
    "FINationalID", "FINationalIDV2", "FIPassportNumber", "FRDriversLicenseNumber", "FRHealthInsuranceNumber",
    "FRNationalID", "FRPassportNumber", "FRSocialSecurityNumber", "FRTaxIdentificationNumber",
    "FRValueAddedTaxNumber", "DEDriversLicenseNumber", "DEPassportNumber", "DEIdentityCardNumber",
    "DETaxIdentificationNumber", "DEValueAddedNumber", "GRNationalIDCard", "GRNationalIDV2",
    "GRTaxIdentificationNumber", "HKIdentityCardNumber", "HUValueAddedNumber", "HUPersonalIdentificationNumber",
    "HUTaxIdentificationNumber", "INPermanentAccount", "INUniqueIdentificationNumber", "IDIdentityCardNumber",
    "InternationalBankingAccountNumber", "IEPersonalPublicServiceNumber", "IEPersonalPublicServiceNumberV2",
    "ILBankAccountNumber", "ILNationalID", "ITDriversLicenseNumber", "ITFiscalCode", "ITValueAddedTaxNumber",
    "JPBankAccountNumber", "JPDriversLicenseNumber", "JPPassportNumber", "JPResidentRegistrationNumber",
    "JPSocialInsuranceNumber", "JPMyNumberCorporate", "JPMyNumberPersonal", "JPResidenceCardNumber",
    "LVPersonalCode", "LTPersonalCode", "LUNationalIdentificationNumberNatural",
    "LUNationalIdentificationNumberNonNatural", "MYIdentityCardNumber", "MTIdentityCardNumber", "MTTaxIDNumber",
    "NLCitizensServiceNumber", "NLCitizensServiceNumberV2", "NLTaxIdentificationNumber", "NLValueAddedTaxNumber",
    "NZBankAccountNumber", "NZDriversLicenseNumber", "NZInlandRevenueNumber", "NZMinistryOfHealthNumber",
    "NZSocialWelfareNumber", "NOIdentityNumber", "PHUnifiedMultiPurposeIDNumber", "PLIdentityCard", "PLNationalID",
    "PLNationalIDV2", "PLPassportNumber", "PLTaxIdentificationNumber", "PLREGONNumber", "PTCitizenCardNumber",
    "PTCitizenCardNumberV2", "PTTaxIdentificationNumber", "ROPersonalNumericalCode", "RUPassportNumberDomestic",
    "RUPassportNumberInternational", "SANationalID", "SGNationalRegistrationIdentityCardNumber", "SKPersonalNumber",
    "SITaxIdentificationNumber", "SIUniqueMasterCitizenNumber", "ZAIdentificationNumber",
    "KRResidentRegistrationNumber", "ESDNI", "ESSocialSecurityNumber", "ESTaxIdentificationNumber",
    "SQLServerConnectionString", "SENationalID", "SENationalIDV2", "SEPassportNumber", "SETaxIdentificationNumber",
    "SWIFTCode", "CHSocialSecurityNumber", "TWNationalID", "TWPassportNumber", "TWResidentCertificate",
    "THPopulationIdentificationCode", "TRNationalIdentificationNumber", "UKDriversLicenseNumber",
    "UKElectoralRollNumber", "UKNationalHealthNumber", "UKNationalInsuranceNumber", "UKUniqueTaxpayerNumber",
    "USUKPassportNumber", "USBankAccountNumber", "USDriversLicenseNumber", "USIndividualTaxpayerIdentification",
    "USSocialSecurityNumber", "UAPassportNumberDomestic", "UAPassportNumberInternational", "Organization", "Email",
    "URL", "Age", "PhoneNumber", "IPAddress", "Date", "Person", "Address", "All", "Default"
)
SELECT_ALL = frozenset({"All", "Default"})
