#!/usr/bin/env python3
# ruff: noqa: E501  (hand-written customer text: long lines are the data)
"""Generate the voc demo corpus in corpora/demo/ (and the answer key corpora/demo_truth.csv).

The corpus is voice-of-customer text about *Ledgerly*, a fictional spend-management and
invoicing SaaS. Four customer groups are planted in it, each with its own jobs-to-be-done,
attributes and NPS; see corpora/demo/README.md (written by this script) for the details.

Standard library only and fully deterministic: running

    python corpora/make_demo.py

rewrites corpora/demo/ byte-identically. All text below is hand-written for this project;
people, companies, e-mail addresses and phone numbers are fictional (phone numbers use the
555-01xx / drama ranges, e-mail domains end in .example, card numbers are public test numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20260315
HERE = Path(__file__).resolve().parent
OUT = HERE / "demo"
TRUTH = HERE / "demo_truth.csv"

N_NPS_PEOPLE = 340  # people who answered the NPS survey (a few answered twice)
N_TWO_WAVE = 150  # of those, people who answered both survey waves
N_TICKET_ONLY = 90  # people who only appear as ticket requesters
N_TICKETS = 330
SHARE_TICKETS_FROM_NPS = 0.65
GROUP_WEIGHTS = {"A": 0.30, "B": 0.32, "C": 0.245, "D": 0.135}
TICKET_RATE = {"A": 1.0, "B": 0.7, "C": 1.7, "D": 0.8}

GROUP_NAMES = {
    "A": "Finance controllers (mid-market)",
    "B": "Small-business owners",
    "C": "IT / ops admins (enterprise)",
    "D": "Approvers & procurement",
}

# ---------------------------------------------------------------------------------------------
# Attributes. Each attribute follows the person's group with probability ATTR_FIDELITY,
# otherwise it is drawn from the full set (so attributes track the group imperfectly).
# ---------------------------------------------------------------------------------------------
ATTR_FIDELITY = 0.8
ROLES = {
    "A": [
        "Financial Controller",
        "Finance Manager",
        "Assistant Controller",
        "Senior Accountant",
        "Group Controller",
        "CFO",
    ],
    "B": ["Owner", "Founder", "Managing Director", "Office Manager", "Bookkeeper", "Freelancer"],
    "C": [
        "IT Administrator",
        "IT Systems Manager",
        "IT Director",
        "Security Engineer",
        "Enterprise Architect",
        "Identity & Access Lead",
    ],
    "D": [
        "Procurement Manager",
        "Purchasing Lead",
        "Department Head",
        "Budget Owner",
        "Operations Director",
    ],
}
SIZES = {
    "A": ["51-200", "201-1000"],
    "B": ["1-10", "11-50"],
    "C": ["1001-5000", "5000+"],
    "D": ["201-1000", "1001-5000"],
}
ALL_SIZES = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"]
INDUSTRIES = {
    "A": ["Manufacturing", "Wholesale", "Healthcare", "Logistics"],
    "B": ["Creative agency", "Consulting", "Construction & trades", "Retail"],
    "C": ["Financial services", "Technology", "Healthcare", "Logistics"],
    "D": ["Education", "Public sector", "Nonprofit", "Manufacturing"],
}
PLANS = {
    "A": ["Business"],
    "B": ["Starter"],
    "C": ["Enterprise"],
    "D": ["Business", "Business", "Enterprise"],
}
ALL_PLANS = ["Starter", "Business", "Enterprise"]
CHANNELS = {
    "A": ["sales"],
    "B": ["self-serve"],
    "C": ["partner"],
    "D": ["sales", "sales", "self-serve"],
}
ALL_CHANNELS = ["self-serve", "sales", "partner"]
# "North America", not "NA": pandas would read "NA" as a missing value.
REGIONS = {
    "A": ["North America", "EMEA"],
    "B": ["North America", "North America", "APAC"],
    "C": ["North America", "EMEA"],
    "D": ["EMEA", "EMEA", "North America"],
}
ALL_REGIONS = ["North America", "EMEA", "APAC", "LATAM"]
ARR_RANGE = {
    "A": (15_000, 80_000),
    "B": (400, 4_500),
    "C": (90_000, 450_000),
    "D": (25_000, 140_000),
}

# NPS score weights for 0..10
SCORE_WEIGHTS = {
    "A": [1, 1, 1, 2, 3, 5, 6, 10, 10, 9, 6],
    "B": [0, 0, 0, 0, 1, 1, 2, 4, 8, 16, 20],
    "C": [2, 3, 4, 6, 7, 8, 8, 8, 6, 4, 2],
    "D": [0, 0, 1, 1, 2, 3, 5, 10, 12, 6, 3],
}

# ---------------------------------------------------------------------------------------------
# Themes (jobs-to-be-done). "+ " = praise / outcome reached, "- " = pain / request.
# Placeholders: {d} small number of days, {h} hours, {n} a count, {amt} an amount in the
# respondent's currency, {price} a monthly price.
# ---------------------------------------------------------------------------------------------
THEMES: dict[str, list[str]] = {
    # ---- A: finance controllers ---------------------------------------------------------
    "A_close": [
        "+ Our month-end close went from 9 working days to about 5 since we moved AP and card spend into Ledgerly.",
        "+ Close is finally boring, which is the best compliment I can give a finance tool.",
        "+ The accrual suggestions at period end save my team probably {h} hours every month.",
        "+ We closed Q4 two days early for the first time in years. The auto-coded card transactions did most of the heavy lifting.",
        "+ being able to lock the period once we're done and not have someone post a backdated bill is huge",
        "+ Month end used to mean chasing 40 people for receipts. Now the missing-receipt nudges do it for me.",
        "- Still can't close the books fast because card transactions arrive 3-4 days late from the bank feed.",
        "- We need a proper close checklist inside the product, right now I track close tasks in a seperate spreadsheet.",
        "- the period lock is all or nothing, I need to lock AP but leave expenses open for a couple more days",
        "- Every month end somebody uploads receipts for last month after I've already closed, and reopening the period is a pain.",
        "- Accruals for uninvoiced POs still have to be done by hand in Excel, which defeats half the purpose.",
        "- Close takes us {d} days and at least one of those is just waiting for Ledgerly to sync with the general ledger.",
        "- I want to close in 3 days. We are at 6. The bottleneck is coding the stragglers at the very end.",
        "- Would love a close dashboard showing what's still unapproved, uncoded or missing a receipt for the period.",
        "- Posting journal entries to the ledger fails silently sometimes at month end and we only find out when the trial balance is off.",
        "- the prepaid amortisation schedule feature is half-baked, we still keep a workbook for it",
    ],
    "A_recon": [
        "+ Bank rec is mostly automatic now, the matching rules catch like 90% of lines.",
        "+ Reconciling the corporate cards used to be a two-day job and now it's done before lunch.",
        "+ I like that unmatched items are shown side by side with suggestions, makes the last 10% quick.",
        "+ Matching payments to invoices across three bank accounts finally works the way I expected.",
        "- Matching rules don't handle partial payments, so any customer who pays in two installments breaks reconciliation.",
        "- The auto-match keeps pairing the wrong invoice when two vendors bill the same amount ({amt} twice in one week) and I had to unpick it manually.",
        "- Reconciliation for our EUR account is a mess, FX differences show up as unmatched every single time",
        "- bank feed dropped transactions from the 28th to the 31st and the reconciliation report said everything was balanced. that's scary",
        "- We have {n} unreconciled items going back to January and no good way to bulk clear them.",
        "- Need to be able to match one bank line to multiple bills. Our payment runs are batched and show as one debit.",
        "- The rec screen gets really slow when there are more than a few hundred lines, I timed it at almost a minute to load.",
        "- Can't export the reconciliation with the matched pairs for our auditors, only the summary totals.",
        "- Refunds and chargebacks never match automatically, I end up creating manual adjustments every week.",
        "- rounding differences of 1 cent keep showing as unmatched, please add a tolerance setting",
        "- Our bank changed its statement format and the import has been failing since, support told me to upload CSVs by hand.",
    ],
    "A_audit": [
        "+ Our auditors loved the approval history, every change has a who and a when.",
        "+ Audit season was painless this year. I gave the audit firm read-only access and they pulled what they needed themselves.",
        "+ The change log on each bill is exactly what we needed for our SOX walkthroughs.",
        "+ Our audit fee went down because the auditors spent less time on AP testing. That alone paid for Ledgerly.",
        "- The audit log doesn't show the old value when someone edits a GL code, only that it was edited.",
        "- We need to export the full audit trail for a date range, right now it's one record at a time which is useless for {n} invoices.",
        "- Deleted bills disappear completely. For audit purposes I need to see what was deleted and by whom.",
        "- Our external auditors asked for evidence of segregation of duties and I couldn't produce a report from Ledgerly that shows it.",
        "- attachments on old invoices are missing after the migration, auditors flagged {n} of them",
        "- I need to prove that nobody approved their own expenses. There's no report for that, I had to eyeball it.",
        "- Audit trail timestamps are in UTC with no timezone shown, which confused our auditors for a whole afternoon.",
        "- the activity log only goes back 12 months on our plan?? we have a 7 year retention requirement",
        "- Would be nice if the audit trail included API changes too, right now edits through the integration just show as 'system'.",
        "- When a vendor's bank details change there is no alert and no clear record of who changed it. That's a fraud risk and our auditor said so.",
    ],
    "A_reports": [
        "+ The spend by department report is the first thing our CFO opens on Monday.",
        "+ Exports to Excel are clean, the columns are in the order our GL import expects.",
        "+ Custom reports are flexible enough that I stopped building pivot tables every week.",
        "- I need custom fields in the reports. We tag spend by project and that tag doesn't show up in any export.",
        "- The report builder can't group by cost center AND vendor at the same time, so I still export to Excel and pivot.",
        "- Scheduled reports would be amazing, I manually export the same AP aging report every Monday at 8am.",
        "- Exports cap at 10,000 rows which is nothing for a year of card transactions",
        "- The AP aging report doesn't match our GL and I've spent {h} hours trying to figure out why.",
        "- CSV export uses US date format even though our company is set to UK, so every import into our ledger needs fixing",
        "- Please let me save report filters. Rebuilding the same view every month is tedious.",
        "- There's no consolidated report across our three entities, I have to run each one and stitch them together in a workbook.",
        "- Dashboards look nice but I can't drill into a number to see the underlying transactions.",
        "- Variance reporting month over month by GL account would make this the only reporting tool I need.",
        "- The VAT report is wrong whenever an invoice has mixed tax rates on different lines.",
    ],
    # ---- B: small-business owners --------------------------------------------------------
    "B_getpaid": [
        "+ Clients pay so much faster with the pay-now button, average went from about 40 days to under {d}.",
        "+ The automatic payment reminders are worth the subscription alone. I hate chasing people for money and now I don't have to.",
        "+ Got paid same day on a {amt} invoice because the client could just tap and pay by card. Love it.",
        "+ Love that I can see who opened the invoice and who hasn't. Makes the awkward follow up call less awkward",
        "+ cash flow is way more predictable now that most clients pay online",
        "+ Deposits upfront on quotes changed my business, no more starting jobs and then waiting 60 days for the money.",
        "- Reminders go out even after the client already paid by bank transfer, which is embarassing.",
        "- Payout to my bank takes {d} business days, which is too long when you're a small shop making payroll.",
        "- Card fees eat into my margin, I wish I could pass the fee on to the client automatically",
        "- I want to be able to set up a payment plan for a client, split a {amt} job into 3 payments",
        "- Late fee feature doesn't work the way I expected, it added the fee to an invoice that was disputed.",
        "- Can I customize the reminder wording? The default sounds like a debt collector and one of my best clients was offended.",
        "- Some of my clients are overseas and can't pay in their currency, so they send wires and I lose money on the exchange.",
        "- need recurring invoices that charge the card on file automatically, my retainer clients keep forgetting to pay",
        "- Partial payments mark the invoice as paid in full sometimes?? Had to call a client to explain it was a glitch",
    ],
    "B_mobile": [
        "+ I invoice from my phone in the van before I leave the job site. Takes about a minute.",
        "+ The mobile app is honestly better than the desktop one. I send quotes while I'm still sitting with the customer.",
        "+ Being able to snap a photo of the finished job and attach it to the invoice on my phone is brilliant",
        "+ I'm never at a desk, so doing all my billing on the phone between client meetings is exactly what I needed.",
        "+ Sent an invoice from the parking lot of the client's office and had the money before I got home.",
        "+ app is quick, clean, does what I need on the go. no notes",
        "- The phone app crashes every time I try to add a line item with a discount.",
        "- Mobile app logs me out every couple of days and I have to reset my password on a job site with bad signal.",
        "- Can't edit an invoice template from the app, have to wait until I'm home at the laptop",
        "- Offline mode please!! I work in basements half the time and the app just spins.",
        "- The item list on mobile doesn't search properly, I have {n} products and have to scroll forever.",
        "- When I create an invoice on my phone the tax rate defaults to 0 and I've sent a few wrong ones because of it.",
        "- Would love to take a card payment in person from the app, tap to pay, instead of texting the client a link.",
        "- Photos I attach from the phone come out huge and the client's email bounces the invoice.",
        "- Voice input for line items would be a game changer when I'm wearing gloves lol",
        "- The mobile app doesn't show which invoices are overdue, only the desktop does. Thats the one thing I need on the road.",
        "- typing addresses on the phone is painful, please autocomplete the client address",
    ],
    "B_invoicelook": [
        "+ My invoices finally look professional. Clients have actually commented on it.",
        "+ Turning an accepted quote into an invoice with one click saves me retyping everything.",
        "+ Adding my logo and brand colours took two minutes and now I look like a proper company instead of a guy with a word doc",
        "+ Being able to show a discount line and a deposit already paid on the same invoice saved me a lot of explaining.",
        "- The templates are a bit limited, I can't move the payment terms box or change the font.",
        "- I need to show hours and rates on some lines and fixed prices on others, the template won't let me mix them nicely",
        "- Quotes can't have optional line items, clients want to pick add-ons and I have to send seperate quotes",
        "- Please let me add a short project description above the line items, clients forget what the invoice is for",
        "- Invoice numbers restarted at 1 after I changed the template. My accountant was not pleased.",
        "- The PDF cuts off long line item descriptions after two lines.",
        "- I want different templates for my two businesses, the design studio and the print shop, under one login.",
        "- Can't add a signature field to quotes, so clients print, sign and scan them back like it's 2005",
        "- Would be nice to attach my terms and conditions to every quote automatically.",
        "- The invoice email subject line can't be changed, and it lands in spam for a couple of my clients",
        "- I bill in hours, and the PDF rounds 1.25h to 1.3h, looks sloppy",
    ],
    "B_expenses": [
        "+ Snapping receipts with the phone and having them categorised means tax time is way less stressful.",
        "+ My bookkeeper gets everything she needs from the export at year end. Used to be a shoebox of receipts.",
        "+ Seeing profit for the month (money in minus expenses) on the home screen is exactly what a small business owner needs.",
        "+ I forward receipts from my email and they just appear matched to the card charge. Magic.",
        "- The receipt scanner reads the date wrong on about half my fuel receipts",
        "- Mileage tracking would be so helpful, I drive {n} km a week between clients and log it in a notebook",
        "- I can't split a receipt between business and personal, e.g. a hardware store run where half was for my house",
        "- Sales tax report doesn't line up with what my accountant calculates, so I don't trust it",
        "- categories are too accountant-y, I have no idea if a new drill is 'equipment' or 'tools and supplies'",
        "- The bank connection to my small credit union keeps breaking so expenses don't come in.",
        "- Would like to see which expenses belong to which job so I know if I actually made money on it",
        "- A quarterly tax estimate would be awesome, I always get surprised in April",
        "- Receipt emails I forward to the inbox address take hours to show up, sometimes never",
        "- Year end export to my accountant is missing the attachments, she needs the actual receipts",
    ],
    # ---- C: IT / ops admins --------------------------------------------------------------
    "C_sso": [
        "+ SAML SSO setup took about 20 minutes with our identity provider, docs were clear.",
        "+ SCIM provisioning works, new hires get a Ledgerly account on day one without a ticket to us.",
        "- SCIM deprovisioning doesn't actually remove the user, it just suspends them and they still count as a paid seat.",
        "- We require SSO for every app and Ledgerly still lets users log in with a password as a fallback. Security flagged it.",
        "- Group sync from our directory only maps to one role. We have 40 groups and need them mapped to departments and approval roles.",
        "- The SAML certificate rotation broke login for {n} users this morning and there was no warning in the admin console.",
        "- Just-in-time provisioning creates duplicate accounts when someone's email alias differs from their primary address.",
        "- SSO is only on the Enterprise tier. We're a 3,000 person company on Business for one subsidiary and had to upgrade just for SSO.",
        "- No support for multiple identity providers. After our acquisition we have two directories and can't consolidate yet.",
        "- Session timeout isn't configurable, our policy is 8 hours and yours is 30 days",
        "- Provisioning errors are not surfaced anywhere, I found out from a user that SCIM had been failing for a week",
        "- I need a way to test an SSO config change without locking everyone out. Right now it's change it and pray.",
        "- MFA enforcement for non-SSO users (contractors) would close the last gap in our access review.",
        "- Offboarding is still a manual checklist item because deactivating someone in the directory doesn't reassign their pending approvals.",
    ],
    "C_perms": [
        "+ Custom roles are flexible, we set up a read-only auditor role and an AP clerk role in an afternoon.",
        "+ The new permission audit page is a good start, finally I can see the effective permissions of a user.",
        "- The permission model is too coarse: 'Admin' can do everything including changing bank details, and 'Member' can do almost nothing.",
        "- We need field-level permissions. AP clerks shouldn't see employee reimbursement amounts.",
        "- There's no way to scope an admin to a single entity. Our regional finance admins can see all 14 entities.",
        "- Every permission change takes effect immediately with no approval, we need four-eyes on admin changes.",
        "- Can't export a list of who has which role, which is the first thing our quarterly access review asks for.",
        "- A user in two departments can only have one role. Real people don't work like that.",
        "- I accidentally gave a contractor admin rights because the role dropdown defaults to Admin. Please change that default.",
        "- Would like to restrict who can create vendors separately from who can pay them. Segregation of duties 101.",
        "- Roles are assigned per user only, not per group, so every new hire is {n} clicks of manual setup",
        "- Delegated admin for the helpdesk team please. They need to reset MFA but shouldn't touch finance settings.",
        "- API tokens inherit the full rights of the admin who created them. That's not acceptable for a service account.",
    ],
    "C_erp": [
        "+ The ERP connector posts bills and payments overnight and it's been reliable for months.",
        "+ Mapping our chart of accounts and dimensions into Ledgerly was tedious but once done the sync just works.",
        "- The ERP sync fails whenever a vendor is inactive on the ERP side, and the error message just says 'sync error 500'.",
        "- Sync runs only once every 24 hours. Our treasury team needs payments in the ERP within the hour.",
        "- Custom segments and dimensions from our ERP don't come across, so every bill gets coded to the default department.",
        "- Our ERP is on-prem behind a firewall and your connector assumes a cloud API. We ended up building middleware ourselves.",
        "- Duplicate vendor records get created every time the sync runs because matching is on name, not on tax ID.",
        "- When a sync fails halfway, half the bills are posted and half aren't, and there's no retry from the point of failure.",
        "- We have nine subsidiaries in the ERP, each with its own ledger, and the connector only supports one.",
        "- Please publish a field mapping document. Our integration partner spent two weeks reverse engineering it.",
        "- Credit notes don't sync to the ERP at all, our AP team re-keys them by hand",
        "- Changes made in the ERP (e.g. a voided payment) never flow back to Ledgerly, so the two systems drift apart",
        "- the integration partner who sold us the connector is slow and points at your team whenever something breaks",
    ],
    "C_api": [
        "+ The REST API is well documented and the webhooks have been solid.",
        "- We hit the API rate limit of {n} requests per minute during our nightly import and the job fails halfway.",
        "- Webhooks don't retry. If our endpoint is down for 5 minutes we lose those events forever.",
        "- No bulk endpoints. Creating 20k cost centers one call at a time is not serious.",
        "- The API returns 429 without a Retry-After header so our client just hammers it.",
        "- Pagination on the transactions endpoint skips records when new ones are added during the export.",
        "- The sandbox is a shared environment with fake data that resets randomly, impossible to run integration tests against it.",
        "- API tokens can't be scoped to read-only, so our BI tool has write access to payments. Not ok.",
        "- We need an audit of API calls per token, security wants to know what the integration user is actually doing",
        "- breaking change in the v2 invoices endpoint with zero notice, our sync was down for a day",
        "- Rate limits are per company, not per token, so one misbehaving script blocks every other integration",
        "- The API doesn't expose approval status, so our data warehouse can't tell approved bills from pending ones.",
        "- Webhook payloads only include the ID, so every event costs us an extra API call, which eats into the rate limit.",
        "- Please version the API properly and give 90 days deprecation notice like every other vendor in our stack.",
    ],
    "C_security": [
        "+ Security review went smoothly, the trust center had the SOC 2 report and pen test summary ready to download.",
        "- Our security questionnaire took 7 weeks to come back from your team and nearly killed the deal.",
        "- We need data residency in the EU. Legal won't let us put employee expense data in a US region.",
        "- The SOC 2 report covers only the core platform, not the mobile app or card issuing, so our auditors rejected it.",
        "- No customer-managed encryption keys, which is a hard requirement for our infosec team on anything touching payments.",
        "- Your subprocessor list changed and we weren't notified, that's a contractual requirement for us.",
        "- IP allowlisting for the admin console is a must have for us and it's not available.",
        "- Audit logs need to stream to our SIEM. Downloading a CSV once a week doesn't count.",
        "- Pen test results were a one-page summary, our CISO wants the full executive report under NDA.",
        "- We had to fill in a 300-question vendor risk assessment ourselves because nobody on your side would own it.",
        "- Data retention settings: we need receipts purged after 7 years automatically, and there's no setting for that.",
        "- Took {d} weeks for legal and infosec to sign off. Most of the delay was waiting on answers about encryption at rest.",
        "- Annual vendor reassessment is coming up again and I still don't have an updated bridge letter from you",
    ],
    # ---- D: approvers & procurement ------------------------------------------------------
    "D_routing": [
        "+ The approval chains by amount work great, anything over {amt} goes to the CFO automatically.",
        "+ Setting up approval rules per department took an afternoon and cut the back-and-forth emails to almost zero.",
        "- Approval rules can't branch on both department and amount, so we have weird workarounds with duplicate rules.",
        "- When someone changes a bill after it's approved, it doesn't go back for re-approval. That defeats the control.",
        "- Parallel approvals would help, legal and finance could review a contract purchase at the same time instead of one after the other.",
        "- I need conditional approval when the vendor is new: anything from a first-time vendor should go to procurement first.",
        "- The workflow editor is confusing, I built a rule that accidentally auto-approved everything under {amt} for a week",
        "- Rules are evaluated top to bottom and there's no way to test one, so I'm never sure which rule will fire",
        "- Approvals stall when a manager leaves, the bill sits in a queue that nobody owns.",
        "- We need approval limits per person, not per role. Two directors have different signing authority.",
        "- Can't require a comment when someone rejects. People just click reject and the requester has no clue why.",
        "- Re-routing an approval to someone else requires admin rights. Managers should be able to delegate themselves.",
        "- Out-of-office delegation doesn't exist, so when I'm on holiday purchases just wait for two weeks.",
        "- We have a policy that anything over the tender threshold needs three signatures and the workflow tops out at two steps.",
    ],
    "D_budget": [
        "+ I can finally see how much of my department's budget is committed before I approve something.",
        "+ Budget owners get a weekly email with spend to date and it has cut the 'how much do I have left' questions to nothing.",
        "- When I approve a purchase I have no idea how much budget is left for the quarter. I have to ask finance.",
        "- Budgets are only monthly. Our budgets are annual with quarterly checkpoints.",
        "- Committed spend from open POs doesn't count against the budget, so the remaining number is always too optimistic.",
        "- I manage 6 cost centers and there's no single view of all of them, I click through each one.",
        "- Would like a warning when a request would push us over budget, before I approve it, not an email after.",
        "- Budget vs actual numbers are a week behind because card spend posts late",
        "- We overspent the events budget by {amt} last quarter and nobody noticed until the close.",
        "- I can't give department heads access to their own budget without giving them access to all of finance's reports.",
        "- Budget reallocations between cost centers have to be done by finance, which takes days.",
        "- Show me remaining budget right on the approval screen. That's all I want.",
        "- The budget view doesn't include headcount or contractors, so it's only half the picture for my team",
        "- grant-funded budgets have different fiscal years than ours and there's no way to track them seperately",
    ],
    "D_po": [
        "+ Requesters create a purchase request, it gets approved, and the PO goes to the supplier automatically. Much cleaner than our old email process.",
        "+ Three-way match between PO, goods receipt and invoice catches overbilling we used to miss.",
        "+ Getting quotes from three suppliers and attaching them to the request is now part of the flow, so the procurement policy is actually followed.",
        "- Purchase requests don't have a catalog, so people type 'laptop' 15 different ways and we can't analyse anything.",
        "- Can't partially receive a PO. We get deliveries in several shipments.",
        "- PO numbers don't show on the invoice matching screen, so AP has to look them up in another tab.",
        "- Supplier onboarding is all email: tax forms, bank details, insurance certificates. I'd love a supplier portal.",
        "- We need blanket POs for recurring suppliers, right now we raise a new PO every month for the same cleaning contract",
        "- Closing a PO with a leftover balance is not possible, so we have hundreds of open POs with tiny amounts left.",
        "- Requesters can't see the status of their purchase request, so they email me asking 'is it approved yet' all day.",
        "- Preferred supplier list please. People keep buying from random vendors when we have negotiated contracts.",
        "- Contract renewal dates aren't tracked anywhere, we auto-renewed a {amt} software contract we meant to cancel.",
        "- The PO PDF still has our old address and there's no way to edit the template",
    ],
    "D_approver": [
        "+ Approving from the email without logging in is the best part, I clear my queue in the taxi.",
        "+ Bulk approve for small recurring bills saves me 20 minutes every Friday.",
        "- I can't see the attached quote or contract from the approval screen, I have to open the full bill.",
        "- My approval queue has {n} items and no way to sort it by due date or amount.",
        "- As an approver I just want to know: what is it, who asked, is it in budget. The approval screen shows me GL codes instead.",
        "- Approvals on the phone show a tiny thumbnail of the invoice that I can't zoom into",
        "- Please let me approve with a comment straight from the notification, half my rejections are 'please attach the quote'",
        "- I approve requests for three entities and the queue doesn't say which entity a request is for.",
        "- Reminder emails for pending approvals arrive at 2am because of the time zone setting",
        "- Approval links in emails expire after 24 hours, by the time I see them on Monday they're dead",
        "- I'd like one digest a day instead of one email per request. I get 30 a day and have started ignoring them.",
        "- Can't see the history of previous purchases from the same supplier when approving, which is what I actually need to decide.",
    ],
    # ---- shared by every group -----------------------------------------------------------
    "S_onboarding": [
        "+ Onboarding was smooth, our implementation specialist Priya walked us through everything in two calls.",
        "+ Setup was easy, we were sending invoices the same afternoon we signed up.",
        "+ The import from our old system brought over vendors and open bills without much cleanup.",
        "+ Migration from our old tool took a weekend. Way less painful than I feared.",
        "- Onboarding took way longer than promised, 3 months instead of 4 weeks.",
        "- The setup wizard asks accounting questions I didn't understand and there's no way to go back and change the answers.",
        "- Importing our historical data was a nightmare, the CSV template rejected files without telling us which row was wrong.",
        "- We were handed over from sales to onboarding to support and had to explain our setup three times.",
        "- Training videos are outdated, the screens don't match what we see anymore.",
        "- It took us {d} weeks to get the team actually using it, people kept going back to spreadsheets.",
        "- Getting employees to install the app and connect their cards was the hardest part of the rollout",
        "- First week was confusing, too many settings and no idea which ones mattered",
        "- Onboarding call slots only worked for US hours, we're in Singapore so it was 10pm calls for us",
        "- the getting started checklist is helpful but it disappears once you dismiss it and I couldn't find it again",
    ],
    "S_pricing": [
        "+ Price is fair for what it does, cheaper than the accounting hours it saves.",
        "- The price increase at renewal was 30% with one month notice. Not cool.",
        "- Per-seat pricing punishes us for adding approvers who log in twice a month.",
        "- Too expensive for what it is once you add the card fees and the payments add-on",
        "- Features we were told were included in the demo turned out to be paid add-ons",
        "- pricing page is confusing, I couldn't tell which plan had multi-currency",
        "- We'd pay annually up front if there were a discount for it, there isn't one",
        "- For a one person business {price} a month is getting steep, especially since it went up last year",
        "- Enterprise pricing requires a call with sales and then three weeks of negotiation to get a quote.",
        "- We pay for 50 seats and use 31, and there's no way to reduce seats mid-contract",
        "- Pricing went up but nothing new that matters to us shipped this year.",
        "- The jump from Starter to Business is huge just to get one feature (approval rules).",
        "- Transaction fees on ACH payments were never mentioned during the sales process",
        "- Paying extra for the API on top of Enterprise feels like double dipping.",
    ],
    "S_support": [
        "+ Support is fast and actually knows the product. Got an answer in 10 min on chat.",
        "+ Shout out to Marco on the support team who stayed on a call with me past 6pm to fix our import.",
        "+ Whoever answers the support email on weekends deserves a raise",
        "- Support takes 3-4 days to reply to a ticket, and the first reply is always a canned article link.",
        "- Every time I contact support I get a different person and have to start from scratch",
        "- No phone support unless you're on the top plan. When payments are broken I need to talk to a human.",
        "- Support closed my ticket as solved when it wasn't, twice.",
        "- The chat bot is useless, it just keeps suggesting help articles. Let me talk to a person.",
        "- Our dedicated CSM changed 3 times in a year and none of them knew our account",
        "- Escalations to engineering disappear into a black hole. Ticket #{tk} has been 'with the product team' for 6 weeks.",
        "- Support hours don't cover Asia-Pacific mornings, which is exactly when our close happens",
        "- Help center articles are out of date, half the screenshots show the old navigation",
        "- I asked a simple question and got a response that clearly didn't read my message",
    ],
}
GROUP_THEMES = {g: [t for t in THEMES if t.startswith(g + "_")] for g in "ABCD"}
SHARED_THEMES = ["S_onboarding", "S_pricing", "S_support"]

# Generic / no-content answers (about 10% of NPS comments and tickets). "+"/"-"/"~" = tone.
NPS_NOISE = [
    "+ all good",
    "+ Works fine for us",
    "+ no complaints so far",
    "~ Nothing to add.",
    "+ Good",
    "~ It's fine.",
    "+ Keep up the good work!",
    "+ love it",
    "+ Solid tool.",
    "~ n/a - nothing specific",
    "~ Too early to say, we just started.",
    "+ Pretty happy overall",
    "+ Does the job",
    "+ Good product, good team",
    "+ Happy customer :)",
    "~ No comment at this time",
    "- meh",
    "+ Recommended it to a friend already",
    "+ Very satisfied",
    "~ It's ok I guess",
    "+ Great!!",
    "~ Could be better, could be worse",
    "~ nothing comes to mind",
    "+ 5 stars",
    "~ Still evaluating",
    "+ Easy to use",
    "~ thanks",
    "~ Fine.",
    "- not great, not terrible",
    "+ 10/10 would recommend",
    "~ see previous survey",
    "- It's alright",
    "+ Best tool we've bought this year",
    "~ no",
]
TICKET_NOISE = [
    ("Callback request", "Please call me back when you get a chance."),
    ("Follow up", "Following up on my previous email, any update?"),
    ("test", "test"),
    ("Sent by mistake", "Hi, can you close this ticket, I sent it by mistake."),
    ("Account manager", "Who is our account manager these days?"),
    ("Contract copy", "Can I get a copy of our signed contract please?"),
    ("Newsletter", "Please take me off the product newsletter list."),
    ("Question", "Quick question, do you have a minute for a call this week?"),
    ("(no subject)", "See attached."),
    (
        "Invoice from Ledgerly",
        "Where can I download your invoice for last month? Our AP team needs it.",
    ),
    ("Re: Your feedback", "Thanks for reaching out, nothing specific from my side at the moment."),
    ("Out of office", "I am out of the office until Monday with limited access to email."),
    ("Webinar", "Is the webinar from last Thursday recorded somewhere?"),
    ("Hello", "Hello? Is anyone there?"),
    ("Meeting", "Can we move our check-in call to next week?"),
    ("Referral", "A colleague at another company wants a demo, who should she contact?"),
    ("Feedback", "Just wanted to say the team has been great. No action needed."),
    ("Holiday hours", "Are you open over the holidays?"),
    ("Address change", "Please update our billing address, details to follow."),
    ("Case study", "Happy to do a case study if you're still looking for one."),
    ("Survey", "I filled in the survey twice by accident, ignore the first one."),
    ("Login page", "Which URL should our team bookmark for logging in?"),
    ("Status page", "Is there a status page I can subscribe to?"),
    ("Duplicate", "Duplicate of my other ticket, sorry."),
    ("Roadmap call", "Would love to join a roadmap call if you run those."),
    ("W-9", "Our vendor team needs your tax form for our records."),
    ("Thanks!", "Thanks for the help last week, all good now."),
    ("Quick one", "Is there a user group or community forum?"),
    ("Re: Renewal", "Got the renewal email, will discuss internally and come back to you."),
    (
        "Introduction",
        "Hi, I've taken over from my colleague who left, please update your contact list.",
    ),
    ("Re: Check-in", "Thanks, nothing to discuss this month, let's skip the call."),
    ("Training", "Do you offer any training sessions for new staff?"),
    ("Question", "Can you send me the link to the release notes?"),
    ("Call", "Tried calling, no answer. Please call back."),
    ("Fwd: Invitation", "Forwarding this in case it's meant for your team, not sure it is."),
    ("Re: Survey", "I already answered the survey, please stop sending reminders."),
    ("Hello", "Just checking this inbox works."),
    (
        "Swag",
        "Any chance of a couple more of those notebooks from the conference? The team loved them.",
    ),
]

# ---------------------------------------------------------------------------------------------
# Ticket subjects per theme; {m} = month name, {n} = a number.
# ---------------------------------------------------------------------------------------------
SUBJECTS = {
    "A_close": [
        "Month end close issue",
        "Period lock question",
        "Can't reopen {m} period",
        "Accruals at month end",
        "Journal entries not posting",
        "Close checklist?",
        "Urgent - close blocked",
    ],
    "A_recon": [
        "Bank rec not matching",
        "Bank feed missing transactions",
        "Reconciliation problem with {m} statement",
        "Partial payments and matching",
        "Unmatched FX differences",
        "Rec screen very slow",
        "Statement import failing",
    ],
    "A_audit": [
        "Audit trail export",
        "Auditor access question",
        "Missing attachments after migration",
        "Who changed vendor bank details?",
        "Deleted bills - audit",
        "Activity log retention",
        "SoD report for auditors",
    ],
    "A_reports": [
        "Report export limit",
        "AP aging doesn't match GL",
        "Custom field missing in export",
        "Scheduled reports?",
        "Date format in CSV export",
        "Consolidated reporting",
        "VAT report wrong",
    ],
    "B_getpaid": [
        "Reminder sent to client who already paid",
        "Payout delay",
        "Payment plan for a client",
        "Late fee on disputed invoice",
        "Card fees",
        "Recurring invoice auto charge",
        "Invoice shows paid but it isn't",
    ],
    "B_mobile": [
        "App crashing",
        "Logged out of the app again",
        "Mobile app tax rate",
        "Offline mode",
        "Photo attachment too big",
        "Can't find products on mobile",
        "Tap to pay?",
    ],
    "B_invoicelook": [
        "Invoice template question",
        "Invoice numbering reset",
        "PDF cutting off text",
        "Logo on invoice",
        "Quote with optional items",
        "Invoices going to spam",
        "Two businesses one login",
    ],
    "B_expenses": [
        "Receipt scanner wrong date",
        "Bank connection broken",
        "Split a receipt",
        "Sales tax report",
        "Forwarded receipts not showing",
        "Year end export for accountant",
        "Mileage?",
    ],
    "C_sso": [
        "SSO login failing",
        "SCIM deprovisioning",
        "SAML cert rotation",
        "Password login still enabled",
        "Duplicate accounts from JIT",
        "Session timeout setting",
        "SCIM errors ({n} users)",
    ],
    "C_perms": [
        "Permissions too broad",
        "Entity-scoped admin",
        "Access review export",
        "Role defaults to Admin",
        "Field level permissions",
        "Delegated admin",
        "API token permissions",
    ],
    "C_erp": [
        "ERP sync error 500",
        "ERP sync frequency",
        "Duplicate vendors after sync",
        "Dimensions not syncing",
        "Credit notes not in ERP",
        "Partial sync failure",
        "Multi-subsidiary connector",
    ],
    "C_api": [
        "429 rate limit",
        "Webhooks not retried",
        "Bulk API?",
        "Pagination bug",
        "Sandbox reset",
        "Breaking change in v2 invoices",
        "Read-only API tokens",
    ],
    "C_security": [
        "Security questionnaire",
        "SOC 2 report scope",
        "EU data residency",
        "IP allowlisting",
        "Subprocessor notification",
        "SIEM integration for audit logs",
        "Pen test report request",
    ],
    "D_routing": [
        "Approval rule not firing",
        "Re-approval after edit",
        "Parallel approvals",
        "Delegation while on leave",
        "Approval limits per person",
        "Approver left the company",
        "Reject without comment",
    ],
    "D_budget": [
        "Remaining budget on approval",
        "Quarterly budgets",
        "Open POs and budget",
        "Budget access for dept heads",
        "Over budget warning",
        "Budget reallocation",
        "Budget numbers out of date",
    ],
    "D_po": [
        "Partial receipt on PO",
        "Blanket PO",
        "Close PO with balance",
        "Supplier portal?",
        "PO template address",
        "Purchase request status",
        "Preferred suppliers",
    ],
    "D_approver": [
        "Approval links expired",
        "Can't see attachment when approving",
        "Too many approval emails",
        "Sort approval queue",
        "Reminders at 2am",
        "Approve with comment",
        "Which entity is this for?",
    ],
    "S_onboarding": [
        "Setup help",
        "Data import failing",
        "Onboarding timeline",
        "Training videos out of date",
        "Getting started checklist",
        "Rollout to employees",
        "Import template row error",
    ],
    "S_pricing": [
        "Renewal price increase",
        "Reduce seats",
        "Plan question",
        "Annual discount?",
        "Unexpected fees",
        "Pricing for approvers",
        "Upgrade cost",
    ],
    "S_support": [
        "Still waiting for a reply",
        "Escalation",
        "Ticket closed but not solved",
        "Need to talk to someone",
        "Re: ticket #{tk}",
        "Who is our CSM?",
        "Phone support",
    ],
}

# Things people add to a ticket after the problem statement.
TICKET_ASKS = [
    "Can someone take a look?",
    "Is this a known issue?",
    "Is there a workaround in the meantime?",
    "Please advise.",
    "This is blocking our month end so quick help would be appreciated.",
    "Can you escalate this?",
    "Let me know if you need screenshots.",
    "Happy to jump on a call.",
    "We need this fixed before Friday's payment run.",
    "Is this on the roadmap?",
    "Could you point me to the right setting?",
    "Not sure if this is a bug or if I'm doing something wrong.",
    "Thanks in advance.",
    "Any help appreciated!",
    "What are our options here?",
    "This has happened twice now.",
    "Screenshot attached.",
]
GREETINGS = [
    "Hi,",
    "Hello,",
    "Hi team,",
    "Hi there,",
    "Hello support,",
    "Good morning,",
    "Hey,",
    "Hi Ledgerly team,",
    "",
    "",
]
OPENERS = {
    "+": [
        "",
        "",
        "",
        "",
        "Honestly, ",
        "Overall: ",
        "Big fan. ",
        "So far so good. ",
        "Short version: ",
        "Happy. ",
        "Love this product. ",
        "What I like most: ",
    ],
    "-": [
        "",
        "",
        "",
        "",
        "Honestly, ",
        "Main issue: ",
        "Biggest gripe: ",
        "Frustrating. ",
        "Where do I start. ",
        "One thing: ",
        "Ugh. ",
        "Not happy. ",
    ],
}
PROMOTER_NEG_OPENERS = [
    "",
    "",
    "Love it, one request: ",
    "Only wish: ",
    "Small thing: ",
    "Great overall. ",
    "Would be a 10 if: ",
]
BUT = [" but ", ". But ", ", however ", ". That said, ", " - only thing is "]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

AGENTS = ["Marco", "Priya", "Jonas", "Keisha", "Tom", "Ines", "Wei", "Sofia"]
AGENT_REPLIES = [
    "Hi {first},\n\nThanks for reaching out and sorry for the trouble. I've reproduced this on our side and raised it with the engineering team (ref ENG-{tk}). I'll update you as soon as I hear back.\n\nBest,\n{agent}\nLedgerly Support",
    "Hi {first},\n\nThanks for the detailed report! Could you send us a screenshot and the approximate time this happened? That will help us look at the logs.\n\nKind regards,\n{agent} | Ledgerly Support",
    "Hello {first},\n\nThis is currently expected behaviour, but I completely understand why it is confusing. I've added your vote to the feature request so the product team sees the demand.\n\n{agent}",
    "Hi {first},\n\nYou can change this under Settings > Company > Preferences. Here is the help article with the steps: https://help.ledgerly.example/articles/{tk}\n\nLet me know if that works!\n{agent}",
    "Hi {first}, thanks for your patience. Our engineers deployed a fix this morning. Could you try again and let me know if the issue persists?\n\nCheers,\n{agent}",
    "Hello {first},\n\nI'm sorry to hear this. I've escalated the ticket to our tier 2 team and marked it as high priority. You'll hear from us within one business day.\n\n{agent}\nLedgerly Customer Support",
    "Hi {first},\n\nGreat question. This isn't possible today, but there's a workaround: export the data, adjust it, and re-import it with the bulk import tool. Happy to walk you through it on a call.\n\nBest,\n{agent}",
    "Hi {first},\n\nI've looped in your account manager, who will reach out to discuss the options for your plan.\n\nThanks,\n{agent}",
    "Hello {first}, we're tracking this as a known issue affecting a small number of accounts. There's no ETA yet, but I've linked your ticket so you're notified when it's resolved.\n\n{agent}",
    "Hi {first},\n\nI checked your account and the setting was switched off. I've turned it back on, so it should behave as expected from now on.\n\nKind regards,\n{agent}",
]
FOLLOWUPS = {
    "+": [
        "That worked, thanks {agent}!",
        "Perfect, all sorted now. You can close this.",
        "Thanks for the quick reply, the setting you pointed to fixed it.",
        "Appreciate it, works now.",
        "Confirmed fixed on our side. Thanks for the fast turnaround.",
        "Great, thank you. Much better now.",
        "Yes that did it. Thanks for the help.",
        "Brilliant, thanks. Should have found that myself.",
        "All good now, cheers.",
        "Works after the fix. Thanks for following up.",
        "Thanks {agent}, the workaround will do for now.",
        "Good to know, thanks for explaining.",
    ],
    "-": [
        "This is still happening. I followed the steps you sent and nothing changed.",
        "Any update? It's been {d} days.",
        "Sorry but a help article is not an answer. Can someone actually look at our account?",
        "We really need this fixed before our close next week.",
        "Same problem again today, {n} more records affected.",
        "The setting was already on. Please escalate.",
        "Screenshot attached as requested. Happens every time.",
        "A workaround that takes an hour a week is not a fix.",
        "Is there an ETA? Our leadership is asking.",
        "Hi, chasing this again. No reply for {d} days.",
        "It worked for a day and now it's broken again.",
        "I'd like to talk to someone senior about this please.",
        "That's disappointing to hear. This was a key reason we bought Ledgerly.",
        "Your fix made it worse, now {n} items are duplicated.",
    ],
}
NOTIFICATIONS = {
    "A_close": "Period {m} could not be locked: {n} transactions are missing receipts.",
    "A_recon": "Your bank feed could not be refreshed. Last successful sync: {m} 27.",
    "B_getpaid": "Payment reminder sent for invoice INV-{tk}.",
    "B_expenses": "We could not process the receipt you forwarded.",
    "C_sso": "SCIM provisioning completed with {n} errors.",
    "C_erp": "ERP sync completed with {n} errors. View details in the admin console.",
    "C_api": "Webhook delivery to your endpoint failed {n} times and has been disabled.",
    "D_approver": "You have {n} approvals waiting for you.",
    "D_routing": "Bill BILL-{tk} was approved automatically by rule 'Under threshold'.",
    "S_pricing": "Your Ledgerly subscription renews in 30 days.",
}

# ---------------------------------------------------------------------------------------------
# People: fictional names and companies
# ---------------------------------------------------------------------------------------------
FIRST_NAMES = [
    "Maria",
    "James",
    "Aiko",
    "Tunde",
    "Sophie",
    "Rahul",
    "Elena",
    "Marcus",
    "Chloe",
    "Diego",
    "Hannah",
    "Yusuf",
    "Grace",
    "Lukas",
    "Zoë",
    "Mateo",
    "Fatima",
    "Oliver",
    "Ingrid",
    "Kwame",
    "Nina",
    "Patrick",
    "Leila",
    "Hugo",
    "Camila",
    "Arjun",
    "Freya",
    "Emeka",
    "Julia",
    "Noah",
    "Sara",
    "Tobias",
    "Mei",
    "Owen",
    "Rosa",
    "Ivan",
    "Amara",
    "Felix",
    "Lucía",
    "Declan",
]
LAST_NAMES = [
    "Lopez",
    "Carter",
    "Tanaka",
    "Adeyemi",
    "Martin",
    "Kapoor",
    "Rossi",
    "Bennett",
    "Dubois",
    "Alvarez",
    "Schmidt",
    "Demir",
    "Kowalski",
    "Novak",
    "Fischer",
    "O'Brien",
    "Haddad",
    "Nakamura",
    "Jensen",
    "Osei",
    "Moreau",
    "Silva",
    "Brennan",
    "Costa",
    "Ivanova",
    "Mehta",
    "Larsen",
    "Okonkwo",
    "Walsh",
    "Quinn",
    "Eriksen",
    "Park",
    "Hughes",
    "Varga",
    "Santos",
    "Keller",
    "Achebe",
    "Lindholm",
    "Marsh",
    "Ruiz",
]
CO_A = [
    "Harbor",
    "Granite",
    "Maple",
    "Summit",
    "Blue Heron",
    "Ironwood",
    "Copperline",
    "Westfield",
    "Northgate",
    "Redwood",
    "Silverlake",
    "Oakridge",
    "Brightwater",
    "Stonebridge",
    "Fairhaven",
    "Kestrel",
    "Lakeshore",
    "Pinecrest",
    "Riverbend",
    "Tidewater",
]
CO_B = {
    "A": [
        "Packaging",
        "Components",
        "Distribution",
        "Medical Group",
        "Supply Co",
        "Foods",
        "Logistics",
        "Industries",
    ],
    "B": [
        "Design Studio",
        "Plumbing",
        "Creative",
        "Consulting",
        "Landscaping",
        "Electric",
        "Print Shop",
        "Photography",
    ],
    "C": [
        "Insurance Group",
        "Financial",
        "Health System",
        "Technologies",
        "Freight Holdings",
        "Bancorp",
        "Systems",
        "Global",
    ],
    "D": [
        "University",
        "County Services",
        "Foundation",
        "Schools Trust",
        "Manufacturing",
        "Housing Association",
        "Museum",
        "Council",
    ],
}

# ---------------------------------------------------------------------------------------------
# Interviews: 16 hand-written personas (4 per group). Answers to the job questions are built
# from the theme sentences above; everything else is written per persona.
# ---------------------------------------------------------------------------------------------
THEME_QUESTIONS = {
    "A_close": [
        "Walk me through your last month-end close.",
        "How long does the close take these days, and where does the time go?",
    ],
    "A_recon": [
        "How do you handle bank and card reconciliation?",
        "Tell me about reconciliation. What does that look like week to week?",
    ],
    "A_audit": [
        "How did your last audit go, from a systems point of view?",
        "What do auditors ask you for, and how do you get it to them?",
    ],
    "A_reports": [
        "What reporting do you have to produce, and for whom?",
        "How do you get numbers out of Ledgerly for management?",
    ],
    "B_getpaid": [
        "How do you make sure clients pay you on time?",
        "Tell me about getting paid. What happens after you send an invoice?",
    ],
    "B_mobile": [
        "Where are you physically when you do your invoicing?",
        "How much of this do you do on your phone?",
    ],
    "B_invoicelook": [
        "What do your invoices and quotes need to look like?",
        "How do you put a quote or an invoice together?",
    ],
    "B_expenses": [
        "What about expenses and receipts, how do you keep track?",
        "How do you get ready for tax time?",
    ],
    "C_sso": [
        "How do you manage access and identity for an app like this?",
        "Tell me about setting up SSO and provisioning.",
    ],
    "C_perms": [
        "How do roles and permissions work for you today?",
        "What does your access review process look like?",
    ],
    "C_erp": [
        "How does Ledgerly connect to the rest of your systems?",
        "Tell me about the ERP integration.",
    ],
    "C_api": ["Do you build anything on the API?", "What integrations have you built yourselves?"],
    "C_security": [
        "What did the security review look like?",
        "What does infosec need from a vendor like us?",
    ],
    "D_routing": [
        "How are purchases approved at your organisation?",
        "Tell me about your approval workflows.",
    ],
    "D_budget": [
        "How do you know where you stand against budget?",
        "How do budgets work for your team?",
    ],
    "D_po": [
        "Walk me through what happens when someone needs to buy something.",
        "How do purchase orders work for you?",
    ],
    "D_approver": [
        "What's it like to be on the approving end?",
        "How do you deal with your approval queue day to day?",
    ],
}
IQ = {
    "intro": [
        "Thanks for making the time. Could you start by telling me a bit about your role and the company?",
        "Thanks for joining. To start, what do you do and what does the company do?",
        "Great to meet you. Can you give me a quick picture of your role and your team?",
        "Thanks again for doing this. Who are you and what's your day job?",
    ],
    "routine": [
        "What does a typical week look like for you?",
        "Where does most of your time go?",
        "And what does a normal month look like?",
        "What's on your plate on a day-to-day basis?",
    ],
    "before": [
        "What were you using before Ledgerly?",
        "How did you handle this before you had Ledgerly?",
        "What tools did you have before?",
        "Before Ledgerly, what was the setup?",
    ],
    "trigger": [
        "What made you start looking for something new?",
        "What was the moment you decided the old way wasn't working?",
        "Why change at all? What triggered it?",
        "What was the final straw with the old setup?",
    ],
    "buying": [
        "How did the buying process go? Who was involved?",
        "Walk me through how you actually bought Ledgerly.",
        "Who had to sign off, and how long did it take?",
        "How did you evaluate and buy it?",
    ],
    "workaround": [
        "How do you work around that today?",
        "Interesting. What do you do instead?",
        "So what's the workaround?",
        "How are you coping with that right now?",
    ],
    "shared": [
        "How was onboarding, and what has support been like?",
        "How did the rollout go? And support?",
        "Anything about setup, pricing or support you'd flag?",
        "How has the relationship been since you signed?",
    ],
    "wish": [
        "If you had a magic wand, what would you change first?",
        "If we could fix one thing next quarter, what should it be?",
        "What's the one thing you'd ask the product team for?",
        "What would make this a ten for you?",
    ],
    "recommend": [
        "Would you recommend Ledgerly to a peer?",
        "How likely are you to recommend it, and why?",
        "If a friend at another company asked about Ledgerly, what would you say?",
        "Would you buy it again?",
    ],
    "else": [
        "Anything else we should have asked?",
        "Is there anything I didn't ask that I should have?",
        "Anything else on your mind?",
        "Last one: anything you want to add?",
    ],
    "thanks": [
        "Thanks so much, this was really helpful.",
        "That's everything from me. Thank you!",
        "Really appreciate your time today.",
        "Thanks, this has been great.",
    ],
}
LEADS = [
    "So, ",
    "Yeah, so ",
    "Honestly? ",
    "Right, ",
    "Hmm. ",
    "",
    "",
    "Well, ",
    "Okay so ",
    "Good question. ",
]
CONNECT = ["And ", "Also ", "The other thing is ", "On top of that, ", "Plus ", "Oh, and ", "Then "]

PERSONAS = [
    # ---------------- A: finance controllers ----------------
    dict(
        stem="int-01-controller-dana",
        fmt="md",
        group="A",
        first="Dana",
        last="Whitfield",
        role="Financial Controller",
        company="Brightwater Dental Group",
        size="201-1000",
        industry="Healthcare",
        region="North America",
        plan="Business",
        channel="sales",
        arr=48_000,
        themes=["A_close", "A_recon", "A_audit"],
        date="2026-02-10",
        minutes=42,
        long="trigger",
        intro="I'm the financial controller at Brightwater Dental Group. We run 34 dental practices across three states, so it's a lot of small locations, each with its own office manager buying supplies. My team is four people: two AP clerks, a senior accountant and me.",
        routine="First week of the month is close, full stop. The rest of the month is AP, chasing receipts, and answering questions from practice managers about why their supplies budget looks wrong.",
        before="We had a shared inbox for invoices, a spreadsheet for approvals and the corporate cards from our bank with a monthly statement. Coding was done by hand from the PDF statement. It was fine at ten practices. At thirty it fell apart.",
        trigger="Honestly it was the audit in 2024. [laughs] Not a fun memory. Our auditors picked a sample of about sixty invoices and asked for approval evidence, and for maybe a third of them the approval was an email reply somewhere in someone's inbox, and two of the people who approved had left the company, so their mailboxes were gone. We spent three weeks rebuilding evidence. I had my senior accountant basically full time on it, which meant the January close slipped to day twelve. At the same time the practices kept growing, we added six locations that year, and every new location meant another card, another office manager who doesn't know what a GL code is, another set of receipts in a shoebox. I went to our CFO and said, look, we either hire two more people or we fix the process. The CFO asked me to come back with numbers, so I counted: we were spending roughly 60 hours a month just on matching card lines to receipts and chasing approvals. That's most of a person. That conversation is what got budget approved for a tool. We looked at three, and the thing that sold me was seeing approvals, receipts and the card feed in one place with a history on each item. For an auditor, that history is everything.",
        buying="Our CFO found Ledgerly through a peer group. We did two demos with the sales rep, then a three-week pilot with two practices. The CFO signed, and our IT guy did a light review of the SSO and data stuff. All in, about two months.",
        workaround="A spreadsheet, what else. I have a close tracker with 45 rows, and every bank line that doesn't match gets copied into a tab called 'investigate'.",
        wish="A close view. One screen that tells me what's unapproved, uncoded, missing receipts and unmatched for the period, and lets me lock the period when it's clean.",
        recommend="Yes, with caveats. For AP and cards it's a big step up. I'd tell a peer to push hard on the reconciliation piece during the trial, because that's where we still do manual work.",
    ),
    dict(
        stem="int-02-controller-henrik",
        fmt="vtt",
        group="A",
        first="Henrik",
        last="Sand",
        role="Group Controller",
        company="Nordlys Marine Supply",
        size="51-200",
        industry="Wholesale",
        region="EMEA",
        plan="Business",
        channel="sales",
        arr=31_000,
        themes=["A_reports", "A_recon", "A_close", "S_pricing"],
        date="2026-01-22",
        minutes=35,
        long=None,
        intro="I'm group controller at Nordlys Marine Supply. We sell parts and equipment to shipyards and fishing fleets, three legal entities, Norway, Denmark and a small one in the UK. I report to the CFO and I own the consolidation.",
        routine="A lot of it is reporting. Management pack every month, board pack every quarter, and the banks want covenant reporting too. The rest is keeping three sets of books in line.",
        before="Before Ledgerly each entity did things its own way. Norway had a paper approval stamp, I'm not joking, and the UK office used a cheap invoicing app. I consolidated everything in Excel with a lot of lookups.",
        trigger="We bought the UK company and suddenly I had three currencies and three approval processes. The CFO wanted one way of doing spend across the group.",
        buying="We had a demo, then a second demo with our accounting partner on the call. The partner liked the export format. Contract was signed by the CFO, no big procurement process, we are not that kind of company.",
        workaround="I export everything per entity and have a consolidation workbook with macros. It works, but I'm the only one who understands it, which is a risk.",
        wish="Consolidated reporting across the entities with currency conversion at the month-end rate. Then I could delete my workbook.",
        recommend="I have recommended it twice already. I just tell people the reporting is basic, so plan on exporting.",
    ),
    dict(
        stem="int-03-finance-aisha",
        fmt="txt",
        group="A",
        first="Aisha",
        last="Bello",
        role="Finance Manager",
        company="Corvid Packaging",
        size="201-1000",
        industry="Manufacturing",
        region="EMEA",
        plan="Business",
        channel="sales",
        arr=56_000,
        themes=["A_audit", "A_close", "A_reports"],
        date="2026-02-18",
        minutes=38,
        long=None,
        intro="I'm finance manager at Corvid Packaging, we make corrugated boxes and food-safe packaging, two plants in the Midlands and one in Poland. About 600 people. I run AP, AR and the month-end process with a team of six.",
        routine="Plant managers buy a lot of stuff: spare parts, maintenance contractors, pallets. So my week is mostly approvals and making sure the coding is right before it hits the ledger.",
        before="Paper purchase orders, honestly. Carbon copies. Invoices came in by post and email, we scanned them and keyed them into the ERP. Cards were barely used because nobody trusted the process.",
        trigger="We had a duplicate payment of about 40,000 pounds to a supplier that invoiced twice, once by post and once by email. That got the board's attention.",
        buying="We had the sales demo, then a workshop where they mapped our approval matrix. Our group IT did a security questionnaire, took about a month. The whole thing from first call to signing was three months.",
        workaround="For the audit bits, we keep a folder per month with screenshots of the approval history. It's silly, but auditors like a PDF.",
        wish="Proper audit export. A date range in, a file out with every change, old value and new value, who and when. That would save us a week every year.",
        recommend="I would, for a manufacturer of our size. The people who will struggle are the ones with a very custom ERP.",
    ),
    dict(
        stem="int-04-controller-tomas",
        fmt="md",
        group="A",
        first="Tomás",
        last="Reyes",
        role="Assistant Controller",
        company="Alta Vista Logistics",
        size="201-1000",
        industry="Logistics",
        region="North America",
        plan="Business",
        channel="sales",
        arr=39_000,
        themes=["A_recon", "A_close", "S_onboarding"],
        date="2026-03-03",
        minutes=31,
        long=None,
        intro="Assistant controller at Alta Vista Logistics. We're a trucking and warehousing company out of Texas, about 450 employees, most of them drivers. Fuel cards and maintenance are the big spend categories.",
        routine="Reconciliation, mostly. We have 300 fuel cards and two operating accounts, so every morning starts with the bank feed and the card feed.",
        before="The fuel card provider's portal plus our bank portal plus a lot of CSV downloads. I had a macro that did a VLOOKUP match on amount and date. It got about half of them.",
        trigger="The controller before me left and I inherited a reconciliation backlog of four months. That was my first week. I said never again.",
        buying="I found Ledgerly myself, started a free trial over a weekend, then brought in the controller and the sales team did a demo for the CFO. Took about six weeks. Our CFO negotiated hard on the price.",
        workaround="Anything with a partial payment or an FX difference I handle in a spreadsheet and then post a manual adjustment. It's maybe two hours a week.",
        wish="Smarter matching. Partial payments, one-to-many, tolerance for pennies. That's most of my manual work right there.",
        recommend="Yeah, definitely. I'd tell them to budget more time for onboarding than the sales rep says though.",
    ),
    # ---------------- B: small-business owners ----------------
    dict(
        stem="int-05-owner-jess",
        fmt="txt-qa",
        group="B",
        first="Jess",
        last="Malone",
        role="Owner",
        company="Malone & Daughters Plumbing",
        size="1-10",
        industry="Construction & trades",
        region="North America",
        plan="Starter",
        channel="self-serve",
        arr=1_080,
        themes=["B_mobile", "B_getpaid", "B_expenses"],
        date="2026-01-14",
        minutes=24,
        long="B_mobile",
        intro="I own Malone and Daughters Plumbing, it's me, my two daughters and one apprentice. Residential mostly, some small commercial jobs. I do the books myself, at night, at the kitchen table.",
        routine="Up at six, on jobs all day, quotes and invoices in between. My wife used to do the invoicing but she went back to work full time, so now it's me.",
        before="A carbon invoice book in the truck and a spreadsheet at home. Then I tried a big accounting package my accountant recommended, and I hated it. Too many screens.",
        trigger="I worked out that I had about 9,000 dollars of invoices older than 60 days because I kept forgetting to send them. That was a bad night.",
        buying="I saw a video about it, signed up for the free trial on my phone, sent my first invoice that same day. Paid for it after about a week. No sales person, didn't need one.",
        workaround="For the offline thing I write the job on a notepad and do the invoice when I get back in the truck where there's signal.",
        wish="Let me take a card payment right there on my phone. The customer is standing in front of me with their card, let me just take it.",
        recommend="I already have. Three plumbers from my trade association use it now because of me. They should give me a discount. [laughs]",
    ),
    dict(
        stem="int-06-founder-kofi",
        fmt="md",
        group="B",
        first="Kofi",
        last="Mensah",
        role="Founder",
        company="Pixelyard Studio",
        size="11-50",
        industry="Creative agency",
        region="EMEA",
        plan="Starter",
        channel="self-serve",
        arr=2_640,
        themes=["B_invoicelook", "B_getpaid", "S_pricing"],
        date="2026-02-04",
        minutes=33,
        long=None,
        intro="I'm the founder of Pixelyard, a design and motion studio in Manchester. We're 14 people, mostly designers and animators, and we work for brands and a couple of agencies who white-label us.",
        routine="I'm still doing creative direction, but more and more it's new business and money: quotes, contracts, invoices, and making sure we can pay freelancers at the end of the month.",
        before="Word templates and a bank account. We'd export the Word file to PDF and email it. Invoice numbers were whatever I remembered the last one was.",
        trigger="A client paid the same invoice twice and another paid a wrong amount, and I couldn't tell which invoice was which. I felt very unprofessional.",
        buying="Found it on a design forum, did the trial, it took me an evening to set up our brand template. I paid by card. The only 'process' was me asking our bookkeeper if she was fine with the export.",
        workaround="For optional extras on a quote I send two quotes, the basic and the full one, and let the client choose. It's clunky and they get confused.",
        wish="Quotes with optional line items and a signature box. That would make the quote-to-invoice flow complete for us.",
        recommend="Yes. For a small studio it's the best I've tried. I'd warn them the price has been creeping up.",
    ),
    dict(
        stem="int-07-consultant-lena",
        fmt="vtt",
        group="B",
        first="Lena",
        last="Vogel",
        role="Freelancer",
        company="Vogel Beratung",
        size="1-10",
        industry="Consulting",
        region="EMEA",
        plan="Starter",
        channel="self-serve",
        arr=720,
        themes=["B_getpaid", "B_expenses", "B_invoicelook"],
        date="2026-02-25",
        minutes=27,
        long="B_getpaid",
        intro="I'm an independent consultant, I help small manufacturers with lean and operations. It's just me, sometimes with one associate. I'm based near Stuttgart but half my clients are in Austria and Switzerland.",
        routine="Three or four days at client sites, one day for admin and preparing workshops. Fridays are for invoicing, expenses and my tax advisor's questions.",
        before="An invoicing template from my tax advisor in a spreadsheet, and a folder with receipts. I also tried a free invoicing tool but it looked cheap.",
        trigger="Getting paid on time. I have one client who was paying me 70, 80 days late. It was affecting whether I could pay my own bills.",
        buying="Trial, two weeks, then I subscribed. I compared the price with two others on their websites. No calls, I don't like sales calls.",
        workaround="For Swiss clients I still send a separate bank details PDF, because the payment link doesn't work for them in francs.",
        wish="Multi-currency payments. Let my Swiss clients pay in francs, and I receive euros.",
        recommend="I recommend it to other freelancers all the time. It saves me Friday afternoons.",
    ),
    dict(
        stem="int-08-owner-ray",
        fmt="txt",
        group="B",
        first="Ray",
        last="Donnelly",
        role="Owner",
        company="Donnelly Landscaping",
        size="11-50",
        industry="Construction & trades",
        region="North America",
        plan="Starter",
        channel="self-serve",
        arr=1_680,
        themes=["B_expenses", "B_mobile", "S_support"],
        date="2026-03-09",
        minutes=26,
        long=None,
        intro="Donnelly Landscaping, I'm the owner. We do commercial grounds maintenance and some residential design work. Around 20 guys in the summer, 8 in the winter.",
        routine="Spring and summer is chaos. I'm in the truck from 6am. Paperwork happens on Sunday nights, if it happens.",
        before="My accountant did everything once a quarter from a box of receipts and bank statements. I had no idea if a job made money until months later.",
        trigger="We bid on a big HOA contract and lost money on it for a whole season without knowing. That's when I wanted to see costs per job.",
        buying="Saw an ad, did the trial. My office manager set it up. I think we paid after the trial ran out, didn't really decide, it just kept going.",
        workaround="I keep receipts for mixed purchases in an envelope and my accountant sorts them out at the end of the year.",
        wish="Show me costs and profit per job. That's the whole thing for me.",
        recommend="Sure, for small guys like me. It's simple, that's the point.",
    ),
    # ---------------- C: IT / ops admins ----------------
    dict(
        stem="int-09-itadmin-sam",
        fmt="vtt",
        group="C",
        first="Sam",
        last="Ortiz",
        role="IT Systems Manager",
        company="Halvorsen Insurance Group",
        size="5000+",
        industry="Financial services",
        region="North America",
        plan="Enterprise",
        channel="partner",
        arr=310_000,
        themes=["C_sso", "C_perms", "C_security"],
        date="2026-01-29",
        minutes=47,
        long="C_sso",
        intro="I'm IT systems manager at Halvorsen Insurance Group. Around 7,000 employees, heavily regulated. My team owns identity, SaaS administration and the vendor access side. Ledgerly is one of about 240 SaaS apps we manage.",
        routine="Access requests, access reviews, onboarding and offboarding, and answering questions from auditors. Plus whatever fire the business lit this week.",
        before="Finance had an on-prem expense tool that was end of life. It used local accounts, no SSO. Every quarter we'd find accounts of people who left two years ago.",
        trigger="Finance picked Ledgerly, not us. We got involved when they wanted to sign, and our requirement was simple: SSO, SCIM, audit logs, or no deal.",
        buying="It came through a reseller partner we use for a lot of software. Procurement, legal, then a full security review with our vendor risk team: questionnaire, SOC 2, pen test summary, data flow diagram. That took eleven weeks, most of it waiting on answers.",
        workaround="We run a script every night that compares the directory with the Ledgerly user export and opens a ticket for anything that doesn't match.",
        wish="Make provisioning boring. Group-to-role mapping, real deprovisioning, and errors I can see in the console or get as an alert.",
        recommend="To the finance team, yes. To another IT team, I'd say go in with your eyes open about the admin side.",
    ),
    dict(
        stem="int-10-identity-meera",
        fmt="md",
        group="C",
        first="Meera",
        last="Iyer",
        role="Identity & Access Lead",
        company="Tesseract Health",
        size="1001-5000",
        industry="Healthcare",
        region="APAC",
        plan="Enterprise",
        channel="partner",
        arr=175_000,
        themes=["C_perms", "C_sso", "S_support"],
        date="2026-02-12",
        minutes=36,
        long=None,
        intro="I lead identity and access at Tesseract Health, we run private hospitals and clinics in Singapore and Malaysia. About 3,800 staff. Anything with a login goes through my team.",
        routine="Role design, access reviews every quarter, and cleaning up after projects that bought software without asking us.",
        before="For finance approvals it was email and a document management system. Access to that was a mess, everyone in finance could see everything.",
        trigger="Our regulator's audit found finance staff could approve and pay the same supplier. We had to fix segregation of duties within six months.",
        buying="Through our regional implementation partner. They ran the demo and the proof of concept. Security review was about two months, including a data residency discussion that was difficult.",
        workaround="We keep a spreadsheet mapping every Ledgerly user to their role and reconcile it by hand every quarter for the access review.",
        wish="Roles driven by directory groups, scoped by entity, with an export of effective permissions I can hand to the auditors.",
        recommend="The finance team likes it. From my side I'd give it a six today. It could be an eight if the permission model grows up.",
    ),
    dict(
        stem="int-11-architect-daniel",
        fmt="txt",
        group="C",
        first="Daniel",
        last="Okafor",
        role="Enterprise Architect",
        company="Graniteview Manufacturing",
        size="5000+",
        industry="Manufacturing",
        region="EMEA",
        plan="Enterprise",
        channel="partner",
        arr=420_000,
        themes=["C_erp", "C_api", "S_onboarding"],
        date="2026-02-26",
        minutes=44,
        long="C_erp",
        intro="Enterprise architect at Graniteview. We make industrial pumps and valves, 12 plants, 9,000 people, 22 legal entities. I'm responsible for how finance applications fit together.",
        routine="Design reviews, integration work with our partners, and a lot of meetings about the ERP upgrade that has been going on for three years.",
        before="A procurement module in our ERP that nobody liked, and each country with its own expense solution. Six expense tools in total.",
        trigger="The CFO wanted one spend platform across all countries by the end of the fiscal year. That was the mandate.",
        buying="Long. A partner did the RFP with us, we had four vendors, two made the shortlist. Proof of concept, architecture review, security review, legal on the data processing agreement, then procurement. Almost seven months.",
        workaround="We built middleware that sits between our ERP and Ledgerly. It queues the records and retries. We shouldn't have to own that.",
        wish="A connector that handles multiple subsidiaries and syncs near real time, with proper error handling. And bulk endpoints in the API.",
        recommend="I would say the product is good for the business users. Integration is where you need to invest.",
    ),
    dict(
        stem="int-12-security-chris",
        fmt="vtt",
        group="C",
        first="Chris",
        last="Lindqvist",
        role="Security Engineer",
        company="Meridian Freight Holdings",
        size="1001-5000",
        industry="Logistics",
        region="North America",
        plan="Enterprise",
        channel="partner",
        arr=140_000,
        themes=["C_security", "C_api", "C_perms"],
        date="2026-03-11",
        minutes=29,
        long=None,
        intro="I'm a security engineer at Meridian Freight. We do freight forwarding and customs brokerage, around 2,500 people in 30 offices. I handle vendor security assessments and our SIEM.",
        routine="Vendor reviews, incident response on-call one week a month, and building detections.",
        before="Corporate cards with paper expense reports, then a scanned receipts process. From a security side there was basically nothing to review.",
        trigger="Finance wanted Ledgerly and it touches bank details and payments. That puts it in our top risk tier automatically.",
        buying="The partner brought it in, finance did the demos. My part was the vendor risk assessment. Questionnaire, SOC 2 type II, pen test, then exceptions signed off by our CISO for the things that were missing.",
        workaround="We pull the audit log CSV every week with a script and push it into the SIEM. It's a week of lag, which is a problem for anything payment related.",
        wish="Stream audit logs to our SIEM, IP allowlisting, and scoped API tokens. Those three close most of our exceptions.",
        recommend="I'd say it's acceptable with compensating controls. Which is security speak for: not yet great.",
    ),
    # ---------------- D: approvers & procurement ----------------
    dict(
        stem="int-13-procurement-grace",
        fmt="md",
        group="D",
        first="Grace",
        last="Whitmore",
        role="Procurement Manager",
        company="Eastbrook University",
        size="1001-5000",
        industry="Education",
        region="EMEA",
        plan="Enterprise",
        channel="sales",
        arr=95_000,
        themes=["D_po", "D_routing", "D_budget"],
        date="2026-01-20",
        minutes=40,
        long="D_routing",
        intro="I'm procurement manager at Eastbrook University. About 2,200 staff, 18,000 students. Procurement is a team of five, and we support 40 departments, from chemistry labs to the catering team.",
        routine="Tenders for anything big, supplier onboarding, and a lot of helping academics understand why they can't just buy something on their own card.",
        before="A requisition form in the finance system that nobody used properly, plus email. Academics would email me a quote and ask me to 'sort it'.",
        trigger="An internal audit found that a third of spend over the quote threshold had no evidence of competing quotes. The audit committee asked for a fix.",
        buying="Public sector rules, so a formal tender through a framework. Demos to a panel, scoring, then contract. Finance and IT were on the panel. Nearly five months end to end.",
        workaround="For multi-signature approvals we route it to the first two approvers in Ledgerly and then I email the third person and attach their reply to the request.",
        wish="Flexible approval chains: more than two steps, conditions on supplier and category, and a way to test a rule before I switch it on.",
        recommend="Yes. It has changed how people see procurement here, we're less of a blocker now.",
    ),
    dict(
        stem="int-14-facilities-omar",
        fmt="vtt",
        group="D",
        first="Omar",
        last="Haddad",
        role="Operations Director",
        company="Riverton County Services",
        size="1001-5000",
        industry="Public sector",
        region="North America",
        plan="Business",
        channel="sales",
        arr=62_000,
        themes=["D_budget", "D_approver", "S_support"],
        date="2026-02-16",
        minutes=28,
        long=None,
        intro="I'm director of facilities and operations for Riverton County. We maintain 60 county buildings, parks and the vehicle fleet. I have six budget holders under me and I approve most of what they buy.",
        routine="Site visits, contractor meetings, and approvals on my phone in between. I'm rarely at my desk.",
        before="Paper purchase requisitions that went to my desk. If I was out at a site for a week, nothing got bought.",
        trigger="We ran out of budget for snow removal in February last year and nobody saw it coming. The budget reports from finance were six weeks old.",
        buying="Finance led it. They ran the evaluation and the county's procurement office did the contract. I was on one demo and asked about budgets and mobile approvals.",
        workaround="I keep my own spreadsheet of what I've approved against each budget line. It's more current than the system, sad to say.",
        wish="Put the remaining budget on the approval screen. If I can see that, I can approve in ten seconds.",
        recommend="I'd give it an eight. Approvals are much faster. Budgets still need work.",
    ),
    dict(
        stem="int-15-purchasing-nadia",
        fmt="txt",
        group="D",
        first="Nadia",
        last="Petrova",
        role="Purchasing Lead",
        company="Kaskade Foods",
        size="201-1000",
        industry="Manufacturing",
        region="EMEA",
        plan="Business",
        channel="sales",
        arr=44_000,
        themes=["D_po", "D_approver", "S_onboarding"],
        date="2026-03-05",
        minutes=32,
        long=None,
        intro="Purchasing lead at Kaskade Foods, we make frozen bakery products for supermarkets. Two factories, 450 people. I buy everything that isn't a raw ingredient: packaging, maintenance, services.",
        routine="Supplier calls in the morning, purchase requests in the afternoon. Lots of chasing deliveries.",
        before="Our ERP had a purchasing module but it was so hard to use that people raised POs after the invoice arrived, just to get it paid.",
        trigger="Our maintenance team ordered the same spare part from two suppliers in one week. Eleven thousand euros wasted.",
        buying="Finance saw the demo first, then brought me in. We did a pilot with the maintenance team for a month. Our finance director signed.",
        workaround="For deliveries in several parts I close the PO when the last delivery arrives and keep notes in the comments about what came when.",
        wish="Partial receiving and blanket orders. Those two would remove most of my manual work.",
        recommend="Yes, to other manufacturers. Just plan the supplier onboarding, it takes longer than the software.",
    ),
    dict(
        stem="int-16-vpeng-ben",
        fmt="md",
        group="D",
        first="Ben",
        last="Achterberg",
        role="Department Head",
        company="Lumenworks Software",
        size="201-1000",
        industry="Technology",
        region="North America",
        plan="Business",
        channel="self-serve",
        arr=58_000,
        themes=["D_approver", "D_budget", "S_pricing"],
        date="2026-03-12",
        minutes=25,
        long=None,
        intro="I run engineering at Lumenworks, a B2B software company, 320 people, 140 in engineering. I own the engineering budget, mostly cloud, tools and contractors.",
        routine="I'm mostly in planning and people meetings. Approvals are something I do in the gaps, on my phone, usually at night.",
        before="Finance sent me a spreadsheet every month, and approvals were a chat message to our finance partner. Very informal.",
        trigger="We doubled headcount and finance couldn't keep up with informal approvals anymore. Tools were being bought on personal cards and expensed.",
        buying="Our finance team trialed it and rolled it out. I wasn't involved in the purchase, I just got an email one day saying approvals now go through Ledgerly.",
        workaround="For budget I ask our finance partner for a number every few weeks. Or I guess.",
        wish="Show me context when approving: what it is, remaining budget, previous purchases from that vendor. Give me one digest a day, not thirty emails.",
        recommend="It's fine. It's better than chat messages. I'd call it a seven.",
    ),
]

# Extra long answers (200+ words) for the "long" slot of some personas.
LONG_ANSWERS = {
    "B_mobile": "So picture this. I'm under a kitchen sink in somebody's house, the job's done, the customer is hovering because they want to know what they owe. In the old days I'd say I'll send you an invoice, then I'd forget, then three weeks later I'm in the truck at 9pm trying to remember if it was two hours or three and whether I used the good valve or the cheap one. Now I wash my hands, open the app, pick the customer, add the parts from my list, add the labour, take a photo of the finished job, and send it before I've packed my tools. Most of the time they pay while I'm still in the driveway. That's the whole reason I'm paying for this. The desktop version I barely use, my daughter does the odd thing on it. What annoys me is the stuff that breaks that flow: the tax rate defaulting to zero so I've had to send corrected invoices, the app logging me out when I'm in a basement with one bar of signal, and the product list search, which is useless once you have a few hundred parts. If the app is slow, I'm standing there in front of the customer looking like an idiot. So for me, the phone app being fast and reliable matters more than any new feature you could build.",
    "B_getpaid": "Getting paid is the reason I signed up, so I have a lot to say. [laughs] When you're one person, every late invoice is a real problem. I have a mortgage, I pay my associate, I pay my own health insurance. Before, I would send the invoice as a PDF by email, and then nothing. After 30 days I'd write a polite email, after 45 days a less polite one, and I hated doing it because these are clients I want to keep. Now the reminders go out automatically and they come from the system, not from me personally, which somehow makes it less awkward. The pay-now button helped a lot with the German clients, they pay by card or direct debit the same week. My average days to get paid went from around 50 to around 20. But there are still gaps. The Swiss clients can't pay in francs, so they still do bank transfers and I pay fees on the exchange. And twice the reminder went out to a client who had already paid by transfer, because the bank match hadn't happened yet. One of them was a little offended and I had to call and apologize. So my wish list is: multi-currency payments, and don't remind anyone until you've checked the bank. Otherwise I'm very happy.",
    "C_sso": "Okay, let me give you the full story, because it's a good example of why IT teams get nervous about finance tools. When finance signed, we set up SAML SSO with our identity provider, that part took an afternoon and it was fine. Then we turned on SCIM provisioning. New users, fine. But we found out about a month later that when someone leaves and we disable them in the directory, Ledgerly only suspends them. The account still exists, it still counts as a paid seat, and, this was the scary part, their pending approvals were just sitting there with nobody able to action them. So we had bills stuck for weeks. Then our quarterly access review came around and I needed a list of who has which role, and there's no export for that, so one of my engineers spent two days clicking through user profiles. Then the SAML certificate expired, we rotated it, and about 200 users couldn't log in for most of a morning because the admin console didn't warn anyone. That's three separate incidents in one quarter for one finance app. None of it is hard to fix from a product point of view. Group-to-role mapping from the directory, real deprovisioning with reassignment of approvals, and some kind of alert when provisioning fails. That's what I'd ask for, in that order.",
    "C_erp": "Let me explain what our landscape looks like, because I think the product team underestimates it. We have 22 legal entities. Most are on one ERP instance, but four of them, the ones we acquired in the last five years, are still on their own systems, and one is on-prem behind our firewall. The standard connector assumes one company, one ledger, cloud to cloud. So from day one we had to build middleware. It takes the bills and payments from the Ledgerly API, maps the entity, maps the cost center and the custom dimensions, because those don't come across natively, and then posts to the right ledger. When a record fails, for example because a supplier is inactive in the ERP, the connector just stops with 'sync error 500', and half the batch is posted and half isn't. We now queue every record individually and retry. On the API side, the rate limit per company means that when our nightly import runs, nobody else can use the API, and the lack of bulk endpoints makes the import take four hours. Also, twice now a change in the API broke our integration without notice. I don't want to sound negative, the product is good and the business users like it, but for a company our size the integration is the product, and right now we own too much of it ourselves.",
    "D_routing": "So the honest answer is, it depends who you ask. [laughs] From procurement's side, the big change is that every request now has a route. Under a thousand pounds it goes to the budget holder. Over a thousand it goes to the budget holder and then to us. Over the quote threshold, we check there are three quotes attached before it moves on. That alone fixed the audit finding. But the university's financial regulations say anything over the tender threshold needs a third signature, from the director of finance, and the workflow stops at two steps, so I'm emailing the director and attaching the reply. We also have rules for new suppliers, for IT purchases that need a security check, and for research grants where the principal investigator has to approve. Right now I've got 31 rules, and they are evaluated top to bottom. Last term I added one rule in the wrong place and everything under five hundred pounds from the chemistry department was auto-approved for a week before anyone noticed. There's no way to test a rule before switching it on, and no way to see which rule fired for a given request. The other gap is delegation. Academics go on fieldwork for weeks, and when they do, their approvals just sit. I would love out-of-office delegation that people can set themselves.",
}
CLOSINGS = [
    "No, I think we covered it. Thanks for listening.",
    "Just that I appreciate you asking. Most vendors don't.",
    "Only that the product has come a long way since we started. Keep going.",
    "Nope, that's it from me.",
    "Maybe that I'd happily join a beta for any of this.",
    "I think that's everything. Good luck with it.",
    "Please actually ship the thing about the approvals. [laughs] That's all.",
    "No, I'm good. Thanks.",
    "Just make sure the people who build it talk to people like me.",
    "Not really. Send me the notes if you can.",
    "Only that price matters more to us than it probably looks.",
    "I'd love to see the roadmap at some point.",
    "That's all. It was nice to chat.",
    "No, that's it. Thanks for the coffee voucher. [laughs]",
    "Nothing else, I need to run to a meeting.",
    "Only that my team would be happy to test things.",
]


# =============================================================================================
# Generation
# =============================================================================================
class _Keep(dict):
    """format_map helper: leaves unknown {placeholders} in place."""

    def __missing__(self, key):
        return "{" + key + "}"


class Gen:
    """All random choices go through one seeded Random, in a fixed order."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.uses: Counter = Counter()  # (theme, index) -> times used, to spread sentences
        self.seen: set[str] = set()  # customer texts already emitted (exact duplicates check)
        self.log: dict = defaultdict(int)

    # ---- small helpers ------------------------------------------------------------------
    def money(self, region: str, lo: int = 300, hi: int = 25_000) -> str:
        r = self.rng
        x = round(math.exp(r.uniform(math.log(lo), math.log(hi))), -1 if hi < 5000 else -2)
        x = int(x)
        if region == "EMEA":
            sym = r.choice(["€", "£", "€"])
            return (
                f"{sym}{x:,}".replace(",", ".")
                if sym == "€" and r.random() < 0.5
                else f"{sym}{x:,}"
            )
        if region == "APAC":
            return r.choice(["S$", "A$", "$"]) + f"{x:,}"
        if region == "LATAM":
            return r.choice(["R$", "US$", "$"]) + f"{x:,}"
        return f"${x:,}"

    def price(self, region: str) -> str:
        r = self.rng
        n = r.choice([29, 35, 39, 45, 49, 59])
        return {"EMEA": r.choice(["€", "£"]), "APAC": "A$", "LATAM": "US$"}.get(region, "$") + str(
            n
        )

    def fill(self, text: str, person: dict) -> str:
        r = self.rng
        reg = person["region"]
        vals = {
            "d": r.randint(2, 9),
            "h": r.choice([3, 4, 5, 6, 8, 10, 12, 15]),
            "n": r.randint(12, 140),
            "tk": r.randint(20_000, 99_999),
            "m": r.choice(MONTHS),
        }
        if "{amt}" in text:
            vals["amt"] = self.money(reg)
        if "{price}" in text:
            vals["price"] = self.price(reg)
        return text.format_map(_Keep(vals)) if "{" in text else text

    def typo(self, text: str) -> str:
        words = text.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and w.islower()]
        if not idx:
            return text
        i = self.rng.choice(idx)
        w = words[i]
        j = self.rng.randint(1, len(w) - 3)
        # swap two letters, or drop one
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if self.rng.random() < 0.6 else w[:j] + w[j + 1 :]
        words[i] = w
        return " ".join(words)

    def sentence(
        self, theme: str, pol: str | None, person: dict, exclude: set | None = None
    ) -> tuple[str, int]:
        """Pick a base sentence of a theme (with the wanted polarity), least-used first."""
        items = [(i, s) for i, s in enumerate(THEMES[theme]) if (pol is None or s[0] == pol)]
        if exclude:
            items = [(i, s) for i, s in items if i not in exclude] or items
        weights = [1.0 / (1 + self.uses[(theme, i)]) ** 2 for i, _ in items]
        i, s = self.rng.choices(items, weights)[0]
        self.uses[(theme, i)] += 1
        return self.fill(s[2:], person), i

    def pick_theme(
        self, person: dict, p_group: float, shared_w: dict, pol: str | None = None
    ) -> str:
        r = self.rng
        if r.random() < p_group:
            cands = GROUP_THEMES[person["group"]]
            w = [3.0 if t in person["fav"] else 1.0 for t in cands]
        else:
            cands = list(shared_w)
            w = [shared_w[t] for t in cands]
        if pol is not None:
            keep = [
                (t, x) for t, x in zip(cands, w, strict=True) if any(s[0] == pol for s in THEMES[t])
            ]
            cands, w = [t for t, _ in keep], [x for _, x in keep]
        return r.choices(cands, w)[0]

    def unique(self, make, tries: int = 400):
        """Call make() until it returns a text not seen before."""
        for _ in range(tries):
            out = make()
            key = out[0] if isinstance(out, tuple) else out
            key = re.sub(r"[^a-z]", "", key.lower())  # ignore case, punctuation and numbers
            if key not in self.seen:
                self.seen.add(key)
                return out
        raise RuntimeError(f"could not make a unique text, last: {key!r}")


def lower_first(s: str) -> str:
    if not s:
        return s
    w = s.split(" ", 1)[0]
    if (
        w in ("I", "Ledgerly")
        or w.startswith("I'")
        or (len(w) > 1 and w[:2].isupper())
        or w[0].isdigit()
    ):
        return s
    return s[0].lower() + s[1:]


def end_punct(s: str) -> str:
    return s if s[-1:] in ".!?)" else s + "."


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------
def make_person(g: Gen, group: str) -> dict:
    r = g.rng

    def attr(by_group: dict, everything: list):
        return r.choice(by_group[group]) if r.random() < ATTR_FIDELITY else r.choice(everything)

    all_roles = [x for v in ROLES.values() for x in v]
    all_ind = sorted({x for v in INDUSTRIES.values() for x in v})
    lo, hi = ARR_RANGE[group]
    arr = int(round(math.exp(r.uniform(math.log(lo), math.log(hi))), -1 if group == "B" else -2))
    first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
    company = f"{r.choice(CO_A)} {r.choice(CO_B[group])}"
    p = dict(
        group=group,
        role=attr(ROLES, all_roles),
        company_size=attr(SIZES, ALL_SIZES),
        industry=attr(INDUSTRIES, all_ind),
        plan=attr(PLANS, ALL_PLANS),
        channel=attr(CHANNELS, ALL_CHANNELS),
        region=attr(REGIONS, ALL_REGIONS),
        arr=arr,
        first=first,
        last=last,
        company=company,
        fav=set(r.sample(GROUP_THEMES[group], 2)),
    )
    p["domain"] = (
        re.sub(r"[^a-z]", "", company.lower().split()[0] + company.lower().split()[-1]) + ".example"
    )
    return p


def phone(g: Gen, region: str) -> str:
    r = g.rng
    if region == "EMEA":
        return f"+44 20 7946 0{r.randint(100, 999)}"
    if region == "APAC":
        return f"+61 491 570 {r.randint(100, 199)}"
    if region == "LATAM":
        return f"+52 55 5555 01{r.randint(10, 99)}"
    return r.choice(
        [
            f"+1 415 555 01{r.randint(10, 99)}",
            f"(312) 555-01{r.randint(10, 99)}",
            f"+1 (646) 555-01{r.randint(10, 99)}",
        ]
    )


def email(p: dict) -> str:
    base = (p["first"] + "." + p["last"]).lower()
    base = base.replace("ë", "e").replace("í", "i").replace("'", "")
    return f"{base}@{p['domain']}"


# ---------------------------------------------------------------------------------------------
# NPS
# ---------------------------------------------------------------------------------------------
def nps_comment(g: Gen, p: dict, score: int, multiline: bool = False) -> str:
    r = g.rng
    if score >= 9:
        pol = "+" if r.random() < 0.8 else "-"
    elif score >= 7:
        pol = "mix" if r.random() < 0.3 else ("+" if r.random() < 0.45 else "-")
    else:
        pol = "-" if r.random() < 0.94 else "+"
    if pol == "-" and score >= 9:
        openers = PROMOTER_NEG_OPENERS
    elif pol == "+" and score <= 6:
        openers = [""]
    else:
        openers = OPENERS.get(pol, [""])
    shared = {"S_onboarding": 1.0, "S_pricing": 2.0 if score <= 6 else 0.8, "S_support": 1.2}

    def make() -> str:
        if pol == "mix":
            t1 = g.pick_theme(p, 0.8, shared, "+")
            t2 = g.pick_theme(p, 0.75, shared, "-")
            s1, _ = g.sentence(t1, "+", p)
            s2, _ = g.sentence(t2, "-", p)
            s1 = s1.rstrip(".!")
            text = s1 + r.choice(BUT) + lower_first(s2)
        else:
            t1 = g.pick_theme(p, 0.82, shared, pol)
            s1, i1 = g.sentence(t1, pol, p)
            opener = r.choice(openers)
            text = (
                (opener + lower_first(s1))
                if opener.endswith(", ") or opener.endswith(": ")
                else opener + s1
            )
            if multiline or r.random() < 0.28:
                t2 = g.pick_theme(p, 0.7, shared, pol)
                s2, _ = g.sentence(t2, pol, p, exclude={i1} if t2 == t1 else None)
                if multiline:
                    text = f"1) {end_punct(s1)}\n2) {end_punct(s2)}"
                else:
                    text = end_punct(text) + " " + s2
        if not multiline:
            x = r.random()
            if x < 0.06:
                text = g.typo(text)
            elif x < 0.12:
                text = text.lower()
            elif x < 0.2:
                text = text.rstrip(".")
        return text

    return g.unique(make)


def make_nps(g: Gen, people: list[dict]) -> list[dict]:
    r = g.rng
    rows = []
    two_wave = set(id(p) for p in r.sample([p for p in people if p["group"] != "B"], N_TWO_WAVE))
    for p in people:
        score = r.choices(range(11), SCORE_WEIGHTS[p["group"]])[0]
        waves = [1, 2] if id(p) in two_wave else [1 if r.random() < 0.45 else 2]
        for w in waves:
            if w == 2 and len(waves) == 2:
                score = max(0, min(10, score + r.choice([-2, -1, -1, 0, 1, 1, 2])))
            start = dt.date(2025, 11, 3) if w == 1 else dt.date(2026, 2, 2)
            date = start + dt.timedelta(days=r.randint(0, 25))
            rows.append(dict(person=p, date=date.isoformat(), score=score))
    rows.sort(key=lambda x: (x["date"], x["person"]["id"]))
    # plan the generic answers (~10%): four deliberate "Great product" duplicates + distinct others
    n_noise = round(0.10 * len(rows))
    noise_idx = sorted(r.sample(range(len(rows)), n_noise))
    great = [i for i in noise_idx if rows[i]["score"] >= 9][:4]
    pool = list(NPS_NOISE)
    r.shuffle(pool)
    multi = set(r.sample([i for i in range(len(rows)) if i not in noise_idx], 2))
    for i, row in enumerate(rows):
        p, score = row["person"], row["score"]
        if i in great:
            row["comment"], row["truth_theme"] = "Great product", "noise"
        elif i in noise_idx:
            want = "+" if score >= 9 else ("-" if score <= 6 else "~")
            j = next((k for k, s in enumerate(pool) if s[0] == want), 0)
            s = pool.pop(j) if pool else "~ no further comments"
            row["comment"], row["truth_theme"] = s[2:], "noise"
            g.seen.add(re.sub(r"[^a-z]", "", s[2:].lower()))
        else:
            row["comment"], row["truth_theme"] = (
                nps_comment(g, p, score, multiline=i in multi),
                "job",
            )
    # deliberate bad input: one non-numeric score, one empty comment
    ten = next(
        i
        for i, row in enumerate(rows)
        if row["score"] == 10 and row["truth_theme"] == "job" and i > 40
    )
    rows[ten]["score"] = "ten"
    empty = next(
        i
        for i, row in enumerate(rows)
        if row["truth_theme"] == "job" and i > 120 and i not in multi
    )
    g.seen.discard(re.sub(r"[^a-z]", "", rows[empty]["comment"].lower()))
    rows[empty]["comment"] = ""
    g.log["nps_bad_score"] = f"{rows[ten]['person']['id']} ({rows[ten]['date']})"
    g.log["nps_empty_comment"] = f"{rows[empty]['person']['id']} ({rows[empty]['date']})"
    return rows


# ---------------------------------------------------------------------------------------------
# Tickets
# ---------------------------------------------------------------------------------------------
def fmt_quote_date(t: dt.datetime) -> str:
    h = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return f"{t.strftime('%a')}, {t.strftime('%b')} {t.day}, {t.year} at {h}:{t.minute:02d} {ampm}"


def quote_block(header: str, text: str) -> str:
    lines = [("> " + ln) if ln.strip() else ">" for ln in text.splitlines()]
    return header + "\n" + "\n".join(lines)


def signature(g: Gen, p: dict) -> tuple[str, bool]:
    """A sign-off; returns (text, contains personal data beyond a name)."""
    r = g.rng
    x = r.random()
    if x < 0.28:
        return f"{r.choice(['Thanks', 'Thank you', 'Thanks'])},\n{p['first']}", False
    if x < 0.40:
        co = p["company"]
        return (
            f"Thanks,\n{p['first']} {p['last']}\n{p['role']} | {co} | {phone(g, p['region'])}",
            True,
        )
    if x < 0.50:
        return f"--\n{p['first']} {p['last']}\n{p['role']}, {p['company']}\n{email(p)}", True
    if x < 0.58:
        return f"Best regards,\n{p['first']} {p['last']}", False
    if x < 0.66:
        return f"Cheers, {p['first']}", False
    if x < 0.72 and p["group"] == "B":
        return "Sent from my phone", False
    if x < 0.76:
        return f"Kind regards\n\n{p['first']} {p['last']}\n{p['company']}", False
    return "", False


def body_pii(g: Gen, p: dict) -> str:
    r = g.rng
    return r.choice(
        [
            f"You can reach me directly on {phone(g, p['region'])}.",
            f"Please reply to {email(p)} rather than the shared inbox.",
            f"The card that was charged twice is {r.choice(['4111 1111 1111 1111', '5555-5555-5555-4444', '4000 0566 5566 5556'])}, exp 09/28.",
            f"Our bank account number is {r.randint(10_000_000, 99_999_999)} and sort code 40-47-{r.randint(10, 99)} if that helps.",
            f"My cell is {phone(g, p['region'])} if it's easier to call.",
            f"cc'ing my colleague, {r.choice(FIRST_NAMES).lower()}.{r.choice(LAST_NAMES).lower().replace(chr(39), '')}@{p['domain']}",
        ]
    )


def to_html(text: str) -> str:
    paras = [x for x in text.split("\n\n") if x.strip()]
    out = []
    for para in paras:
        para = para.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append("<p>" + para.replace("\n", "<br>") + "</p>")
    return "".join(out) if len(out) < 3 else "\n".join(out)


STOP = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "for",
    "on",
    "is",
    "it",
    "my",
    "our",
    "we",
    "i",
    "be",
    "with",
    "not",
    "this",
    "that",
    "from",
    "are",
    "at",
    "by",
    "as",
}


def words_of(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 2}


def best_subject(r: random.Random, theme: str, text: str) -> str:
    """The subject of the theme that shares most words with the message (ties broken at random)."""
    tw = words_of(text)
    scored = [(len(words_of(sub) & tw), r.random(), sub) for sub in SUBJECTS[theme]]
    best = max(scored)
    return best[2] if best[0] > 0 or r.random() < 0.5 else r.choice(SUBJECTS[theme])


def make_ticket(g: Gen, p: dict, created: dt.datetime) -> dict:
    r = g.rng
    channel = r.choices(["email", "web", "chat"], [0.6, 0.25, 0.15])[0]
    shared = {"S_onboarding": 1.0, "S_pricing": 0.8, "S_support": 1.0}
    state: dict = {}

    is_noise = r.random() < 0.10

    def make_core() -> tuple[str, str]:
        state["tries"] = state.get("tries", 0) + 1
        if is_noise and state["tries"] <= 20:  # the generic pool is small: fall back to a theme
            subj, text = r.choice(TICKET_NOISE)
            greet = r.choice(GREETINGS)
            state.update(theme="noise", subject=subj)
            return text, (greet + "\n\n" + text) if greet else text
        theme = g.pick_theme(p, 0.82, shared)
        s1, i1 = g.sentence(theme, "-", p)
        parts = [s1]
        if r.random() < 0.33:
            s2, _ = g.sentence(theme, "-", p, exclude={i1})
            parts.append(s2)
        if r.random() < 0.55:
            parts.append(r.choice(TICKET_ASKS))
        text = " ".join(end_punct(x) if k < len(parts) - 1 else x for k, x in enumerate(parts))
        x = r.random()
        if x < 0.06:
            text = g.typo(text)
        elif x < 0.10:
            text = text.lower()
        greet = r.choice(GREETINGS)
        subj = g.fill(best_subject(r, theme, text), p)
        y = r.random()
        if y < 0.06:
            subj = "URGENT: " + subj
        elif y < 0.10:
            subj = subj + " (again)"
        elif y < 0.13:
            subj = subj.lower()
        state.update(theme=theme, subject=subj)
        return text, (greet + "\n\n" + text) if greet else text

    core = g.unique(make_core)[1]  # unique without the greeting
    theme = state["theme"]
    parts = [core]
    pii = False
    if theme != "noise" and r.random() < 0.05:
        parts.append(body_pii(g, p))
        pii = True
    sig, sig_pii = signature(g, p)
    if sig:
        parts.append(sig)
    first = "\n\n".join(parts)
    quoted_first = False
    if theme in NOTIFICATIONS and r.random() < 0.25:
        sent = created - dt.timedelta(hours=r.randint(1, 30), minutes=r.randint(0, 59))
        note = (
            g.fill(NOTIFICATIONS[theme], p)
            + "\n\nView it in Ledgerly: https://app.ledgerly.example/inbox"
        )
        first += "\n\n" + quote_block(
            f"On {fmt_quote_date(sent)} Ledgerly <notifications@ledgerly.example> wrote:", note
        )
        quoted_first = True
    html = channel == "web" and r.random() < 0.65
    if html:
        first = to_html(first)
    messages = [{"author_role": "customer", "body": first}]
    x = r.random()
    if x < 0.50 or (theme == "noise" and x < 0.8):
        pass
    else:
        agent = r.choice(AGENTS)
        reply = (
            g.fill(r.choice(AGENT_REPLIES), p)
            .replace("{first}", p["first"])
            .replace("{agent}", agent)
        )
        messages.append({"author_role": "agent", "body": reply})
        if x > 0.82:
            t_agent = created + dt.timedelta(hours=r.randint(1, 50), minutes=r.randint(0, 59))
            tone = "+" if r.random() < 0.45 else "-"

            def make_follow() -> str:
                f = g.fill(r.choice(FOLLOWUPS[tone]), p).replace("{agent}", agent)
                pre = r.choice(["", "", f"Hi {agent}, ", f"Thanks {agent}. ", "Hello again. "])
                f = pre + (lower_first(f) if pre.endswith(", ") else f)
                if theme != "noise" and ((tone == "-" and r.random() < 0.55) or r.random() < 0.15):
                    s, _ = g.sentence(theme, "-", p)
                    f = (
                        end_punct(f)
                        + " "
                        + r.choice(["Also, ", "And ", "To be clear: ", ""])
                        + lower_first(s)
                    )
                return f

            follow = g.unique(make_follow)
            if r.random() < 0.5:
                follow += f"\n\n{p['first']}"
            if r.random() < 0.75:
                who = r.choice(["Ledgerly Support", f"{agent} (Ledgerly Support)", "Support"])
                follow += "\n\n" + quote_block(
                    f"On {fmt_quote_date(t_agent)} {who} <support@ledgerly.example> wrote:", reply
                )
            messages.append({"author_role": "customer", "body": follow})
    g.log["tickets_html"] += html
    g.log["tickets_pii_in_body"] += pii
    g.log["tickets_signature_with_contact"] += sig_pii
    g.log["tickets_quoted_in_first"] += quoted_first
    g.log["tickets_with_agent_reply"] += len(messages) > 1
    g.log["tickets_with_followup"] += len(messages) > 2
    return dict(
        requester_id=p["id"],
        created=created,
        subject=state["subject"],
        channel=channel,
        messages=messages,
        truth_theme=theme,
    )


def ticket_time(g: Gen, p: dict) -> dt.datetime:
    r = g.rng
    day = dt.date(2025, 10, 1) + dt.timedelta(days=r.randint(0, 181))
    if p["group"] == "B" and r.random() < 0.4:
        hour = r.choice([6, 7, 19, 20, 21, 22, 23])
    else:
        hour = r.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 18])
    return dt.datetime(day.year, day.month, day.day, hour, r.randint(0, 59))


def make_tickets(g: Gen, nps_people: list[dict], ticket_only: list[dict]) -> list[dict]:
    r = g.rng
    n_nps = round(SHARE_TICKETS_FROM_NPS * N_TICKETS)
    requesters = r.choices(nps_people, [TICKET_RATE[p["group"]] for p in nps_people], k=n_nps)
    requesters += ticket_only
    extra = N_TICKETS - len(requesters)
    requesters += r.choices(
        ticket_only, [TICKET_RATE[p["group"]] ** 2 for p in ticket_only], k=extra
    )
    tickets = [make_ticket(g, p, ticket_time(g, p)) for p in requesters]
    tickets.sort(key=lambda t: (t["created"], t["requester_id"]))
    for k, t in enumerate(tickets):
        t["id"] = f"T-{1001 + k}"
    return tickets


# ---------------------------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------------------------
def theme_answer(g: Gen, p: dict, theme: str) -> str:
    r = g.rng
    n = r.choice([2, 2, 3])
    pols = ["-"] * n
    if any(s[0] == "+" for s in THEMES[theme]) and r.random() < 0.5:
        pols[r.randrange(n)] = "+"
    used: set = set()
    out = []
    for k, pol in enumerate(pols):
        s, i = g.sentence(theme, pol, p, exclude=used)
        used.add(i)
        s = end_punct(s[0].upper() + s[1:])
        if k == 0:
            lead = r.choice(LEADS)
            out.append(
                lead
                + (
                    lower_first(s)
                    if lead.endswith(" ") and not lead.endswith(". ") and lead != "Honestly? "
                    else s
                )
            )
        else:
            c = r.choice(CONNECT)
            out.append(c + lower_first(s))
    return " ".join(out)


def interview_turns(g: Gen, p: dict, k: int) -> list[tuple[str, str]]:
    r = g.rng
    q = lambda slot: IQ[slot][(k + r.randint(0, 3)) % len(IQ[slot])]  # noqa: E731
    T: list[tuple[str, str]] = [("I", q("intro")), ("R", p["intro"])]
    if k % 3 != 2:
        T += [("I", q("routine")), ("R", p["routine"])]
    T += [("I", q("before")), ("R", p["before"])]
    T += [("I", q("trigger")), ("R", p["trigger"])]
    T += [("I", q("buying")), ("R", p["buying"])]
    group_themes = [t for t in p["themes"] if not t.startswith("S_")]
    for j, theme in enumerate(group_themes):
        T.append(("I", r.choice(THEME_QUESTIONS[theme])))
        T.append(("R", LONG_ANSWERS[theme] if p["long"] == theme else theme_answer(g, p, theme)))
        if j == 0:
            T += [("I", q("workaround")), ("R", p["workaround"])]
    shared = [t for t in p["themes"] if t.startswith("S_")] or [r.choice(SHARED_THEMES)]
    s1, i1 = g.sentence(shared[0], r.choice("+--"), p)
    s2, _ = g.sentence(r.choice(SHARED_THEMES), None, p, exclude={i1})
    T += [
        ("I", q("shared")),
        (
            "R",
            end_punct(s1[0].upper() + s1[1:])
            + " "
            + r.choice(CONNECT)
            + lower_first(end_punct(s2)),
        ),
    ]
    T += [("I", q("wish")), ("R", p["wish"])]
    T += [("I", q("recommend")), ("R", p["recommend"])]
    T += [("I", q("else")), ("R", CLOSINGS[k])]
    T += [("I", q("thanks"))]
    return T


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def paragraphs_for_long(text: str) -> list[str]:
    sents = split_sentences(text)
    if len(text.split()) < 200:
        return [text]
    mid = len(sents) // 2
    return [" ".join(sents[:mid]), " ".join(sents[mid:])]


def write_md(p: dict, turns) -> str:
    out = [
        f"# Interview with {p['role']} at {p['company']}",
        "",
        f"_Recorded {p['date']} over video call, {p['minutes']} minutes. Notes by the product research team._",
        "",
    ]
    for who, text in turns:
        name = "Interviewer" if who == "I" else p["first"]
        paras = paragraphs_for_long(text)
        out.append(f"**{name}:** {paras[0]}")
        out.append("")
        for extra in paras[1:]:  # a long answer continues in a second paragraph without a label
            out.append(extra)
            out.append("")
    return "\n".join(out)


def vtt_ts(sec: float) -> str:
    ms = round(sec * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(g: Gen, p: dict, turns, numbered: bool, note: bool) -> str:
    r = g.rng
    out = ["WEBVTT", ""]
    if note:
        out += [
            "NOTE",
            f"Auto-generated transcript, speaker labels corrected by hand. Recorded {p['date']}.",
            "",
        ]
    t = 2.0 + r.random() * 3
    cue = 1
    speaker = f"{p['first']} {p['last']}"
    for who, text in turns:
        name = "Interviewer" if who == "I" else speaker
        chunks, cur = [], []
        for s in split_sentences(text):
            if cur and len(" ".join([*cur, s]).split()) > 32:
                chunks.append(" ".join(cur))
                cur = []
            cur.append(s)
        if cur:
            chunks.append(" ".join(cur))
        for c in chunks:
            dur = max(1.8, len(c.split()) / 2.6) + r.random() * 0.8
            if numbered:
                out.append(str(cue))
            out.append(f"{vtt_ts(t)} --> {vtt_ts(t + dur)}")
            out.append(f"<v {name}>{c}</v>")
            out.append("")
            t += dur + 0.05 + r.random() * 0.25
            cue += 1
        t += 0.4 + r.random() * 1.6
    return "\n".join(out)


def write_txt(p: dict, turns, qa: bool) -> str:
    out = []
    for who, text in turns:
        names = ("Q", "A") if qa else ("Interviewer", p["first"])
        label = names[0] if who == "I" else names[1]
        out.append(f"{label}: {text}")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def build() -> dict:
    g = Gen(SEED)
    r = g.rng
    groups = list(GROUP_WEIGHTS)
    n_people = N_NPS_PEOPLE + N_TICKET_ONLY
    # exact group quotas from the weights, then shuffle, so shares are what the README says
    quota = {k: round(w * n_people) for k, w in GROUP_WEIGHTS.items()}
    quota["B"] += n_people - sum(quota.values())
    labels = [k for k in groups for _ in range(quota[k])]
    r.shuffle(labels)
    people = [make_person(g, grp) for grp in labels]
    for i, p in enumerate(people):
        p["id"] = f"cust-{i + 1:04d}"
    nps_people, ticket_only = people[:N_NPS_PEOPLE], people[N_NPS_PEOPLE:]

    nps = make_nps(g, nps_people)
    tickets = make_tickets(g, nps_people, ticket_only)

    interviews = {}
    for k, p in enumerate(PERSONAS):
        p = dict(p)
        p["id"] = p["stem"]
        p["company_size"] = p.pop("size")
        turns = interview_turns(g, p, k)
        if p["fmt"] == "md":
            interviews[p["stem"] + ".md"] = (p, write_md(p, turns), turns)
        elif p["fmt"] == "vtt":
            interviews[p["stem"] + ".vtt"] = (
                p,
                write_vtt(g, p, turns, numbered=k % 2 == 1, note=k == 8),
                turns,
            )
        else:
            interviews[p["stem"] + ".txt"] = (
                p,
                write_txt(p, turns, qa=p["fmt"] == "txt-qa"),
                turns,
            )
    return dict(g=g, people=people, nps=nps, tickets=tickets, interviews=interviews)


ATTRS = ["role", "company_size", "industry", "plan", "channel", "region"]


def main() -> None:
    data = build()
    g, people, nps, tickets, interviews = (
        data[k] for k in ("g", "people", "nps", "tickets", "interviews")
    )
    OUT.mkdir(parents=True, exist_ok=True)
    idir = OUT / "interviews"
    if idir.exists():
        for f in idir.glob("int-*"):
            if f.suffix in (".md", ".vtt", ".txt"):
                f.unlink()

    # nps.csv
    header = ["respondent_id", "date", "score", "comment", *ATTRS]
    rows = [
        [x["person"]["id"], x["date"], x["score"], x["comment"]] + [x["person"][a] for a in ATTRS]
        for x in nps
    ]
    write(OUT / "nps.csv", csv_text(header, rows))

    # tickets.json
    out_t = [
        dict(
            id=t["id"],
            requester_id=t["requester_id"],
            created_at=t["created"].strftime("%Y-%m-%dT%H:%M:00Z"),
            subject=t["subject"],
            channel=t["channel"],
            messages=t["messages"],
        )
        for t in tickets
    ]
    write(OUT / "tickets.json", json.dumps(out_t, ensure_ascii=False, indent=2) + "\n")

    # interviews
    for name, (_p, text, _) in interviews.items():
        write(idir / name, text)

    # respondents.csv: everyone who appears anywhere
    used_ids = {x["person"]["id"] for x in nps} | {t["requester_id"] for t in tickets}
    resp = [p for p in people if p["id"] in used_ids]
    iv = [p for p, _, _ in interviews.values()]
    rrows = [
        [
            p["id"],
            p["role"],
            p["company_size"],
            p["industry"],
            p["plan"],
            p["channel"],
            p["region"],
            p["arr"],
        ]
        for p in sorted(iv, key=lambda x: x["id"])
    ]
    rrows = [[p["id"]] + [p[a] for a in ATTRS] + [p["arr"]] for p in resp] + rrows
    write(OUT / "respondents.csv", csv_text(["respondent_id", *ATTRS, "arr"], rrows))

    # answer key, outside the corpus folder
    truth = [[p["id"], p["group"]] for p in resp] + [
        [p["id"], p["group"]] for p in sorted(iv, key=lambda x: x["id"])
    ]
    write(TRUTH, csv_text(["respondent_id", "group"], truth))

    stats = summarise(g, resp, iv, nps, tickets, interviews)
    write(OUT / "README.md", readme(stats, g))
    print_summary(stats)


def summarise(g, resp, iv, nps, tickets, interviews) -> dict:
    everyone = resp + iv
    n = len(everyone)
    by_group = Counter(p["group"] for p in everyone)
    st = dict(
        n_people=n, by_group=by_group, n_nps=len(nps), n_tickets=len(tickets), n_iv=len(interviews)
    )
    st["nps_people"] = len({x["person"]["id"] for x in nps})
    st["ticket_people"] = len({t["requester_id"] for t in tickets})
    nps_ids = {x["person"]["id"] for x in nps}
    st["tickets_from_nps"] = sum(t["requester_id"] in nps_ids for t in tickets)
    st["ticket_only_people"] = len({t["requester_id"] for t in tickets} - nps_ids)
    multi = Counter(t["requester_id"] for t in tickets)
    st["multi_ticket_people"] = sum(v > 1 for v in multi.values())
    st["max_tickets_per_person"] = max(multi.values())
    per = {}
    for grp in "ABCD":
        ps = [p for p in everyone if p["group"] == grp]
        scores = [
            x["score"] for x in nps if x["person"]["group"] == grp and isinstance(x["score"], int)
        ]
        prom = sum(s >= 9 for s in scores) / len(scores)
        det = sum(s <= 6 for s in scores) / len(scores)
        per[grp] = dict(
            people=len(ps),
            share=len(ps) / n,
            nps_rows=len([x for x in nps if x["person"]["group"] == grp]),
            tickets=sum(
                1
                for t in tickets
                if next(p for p in everyone if p["id"] == t["requester_id"])["group"] == grp
            ),
            interviews=sum(1 for p in iv if p["group"] == grp),
            nps=round(100 * (prom - det)),
            promoters=prom,
            detractors=det,
            top=lambda a, ps=ps: Counter(p[a] for p in ps).most_common(1)[0],
            arr_median=sorted(p["arr"] for p in ps)[len(ps) // 2],
            revenue=sum(p["arr"] for p in ps),
        )
    st["per"] = per
    st["noise_nps"] = sum(x["truth_theme"] == "noise" for x in nps)
    st["noise_tickets"] = sum(t["truth_theme"] == "noise" for t in tickets)
    st["log"] = dict(g.log)
    return st


def readme(st: dict, g: Gen) -> str:
    per = st["per"]
    total_rev = sum(v["revenue"] for v in per.values())
    jobs = {
        "A": "close the month faster; reconcile bank and card lines; keep an audit trail auditors accept; get reports and exports out",
        "B": "get paid faster (reminders, pay-now, deposits); invoice and quote from the phone; send professional-looking invoices; track receipts and expenses for tax time",
        "C": "SSO / SCIM provisioning; roles and permissions, access reviews; ERP integration; API limits, webhooks; security reviews and compliance",
        "D": "approval workflows and routing; budget visibility before approving; purchase orders and suppliers; a usable approver queue",
    }
    lines = [
        "# voc demo corpus: Ledgerly",
        "",
        "Voice-of-customer text about **Ledgerly**, a *fictional* spend-management and invoicing SaaS",
        "(corporate cards, bills and approvals, invoicing and payments, an ERP connector and an API).",
        "Everything here is written for this project: people, companies, e-mail addresses (`*.example`),",
        "phone numbers (555-01xx and other fictional ranges) and card numbers (public test numbers) are made up.",
        "",
        "It was generated by `corpora/make_demo.py` (standard library only, fixed seed). Regenerate with",
        "",
        "```",
        "python corpora/make_demo.py",
        "```",
        "",
        "which rewrites this folder byte-identically. Do not edit the files by hand; edit the generator.",
        "",
        "## Files",
        "",
        "| file | what | count |",
        "|---|---|---|",
        f"| `nps.csv` | NPS survey answers: `respondent_id,date,score,comment,role,company_size,industry,plan,channel,region` | {st['n_nps']} rows from {st['nps_people']} people (two survey waves, Nov 2025 and Feb 2026; some people answered both) |",
        f"| `tickets.json` | support tickets, a JSON array of `{{id, requester_id, created_at, subject, channel, messages: [{{author_role, body}}]}}` | {st['n_tickets']} tickets from {st['ticket_people']} requesters |",
        f"| `interviews/` | customer interview transcripts in `.md`, `.vtt` and `.txt` | {st['n_iv']} transcripts |",
        f"| `respondents.csv` | attributes of every respondent: `respondent_id,role,company_size,industry,plan,channel,region,arr` | {st['n_people']} people |",
        "",
        "The respondent id of an interview is its file stem (`interviews/int-01-controller-dana.md` ->",
        "`int-01-controller-dana`). `arr` is the account's annual revenue to Ledgerly in USD.",
        f"{st['tickets_from_nps']} of the {st['n_tickets']} tickets ({st['tickets_from_nps'] / st['n_tickets']:.0%}) come from people who also answered the NPS survey;",
        f"{st['ticket_only_people']} people appear only as ticket requesters; {st['multi_ticket_people']} people filed more than one ticket (up to {st['max_tickets_per_person']}).",
        "",
        "## Planted segments",
        "",
        "Every respondent belongs to one of four planted groups. The answer key is `corpora/demo_truth.csv`",
        "(`respondent_id,group`), kept **outside** this folder so that voc never ingests it.",
        "Attributes follow the group about 80% of the time each, not always.",
        "",
        "| group | typical role / plan / channel | jobs (themes) | NPS | people | share of people | share of ARR |",
        "|---|---|---|---|---|---|---|",
    ]
    tend = {
        "A": "controllers, finance managers at 51-1000-person firms / Business / sales",
        "B": "owners, founders, freelancers at 1-50-person firms / Starter / self-serve",
        "C": "IT admins, security, architects at 1000+ firms / Enterprise / partner",
        "D": "procurement, purchasing leads, budget-owning department heads / mostly Business / mostly sales",
    }
    expect = {"A": "mixed", "B": "mostly promoters", "C": "many detractors", "D": "mostly passives"}
    for grp in "ABCD":
        v = per[grp]
        lines.append(
            f"| {grp}. {GROUP_NAMES[grp]} | {tend[grp]} | {jobs[grp]} | {expect[grp]} (planted NPS {v['nps']:+d}) | "
            f"{v['people']} | {v['share']:.0%} | {v['revenue'] / total_rev:.0%} |"
        )
    lines += [
        "",
        "Themes shared by all groups: onboarding / setup, pricing complaints, support responsiveness.",
        f"About 10% of NPS comments ({st['noise_nps']}) and tickets ({st['noise_tickets']}) are generic and carry no job",
        '("all good", "Does the job", "Please call me back").',
        "",
        "Per group: NPS rows / tickets / interviews: "
        + "; ".join(
            f"{grp} {per[grp]['nps_rows']} / {per[grp]['tickets']} / {per[grp]['interviews']}"
            for grp in "ABCD"
        )
        + ".",
        "",
        "## Deliberate rough edges (voc must handle them)",
        "",
        f"- `nps.csv`, row of {g.log['nps_bad_score']}: the score is the word `ten` (not a number). Report it; keep the comment or skip the row, never crash.",
        f"- `nps.csv`, row of {g.log['nps_empty_comment']}: the comment is empty. There is no customer voice to ingest from it.",
        "- `nps.csv`: the comment `Great product` appears 4 times on purpose (identical answers from different people);",
        "  two comments span two lines inside one quoted CSV field; some comments contain quotes and commas.",
        "- Tickets: agent replies (`author_role: agent`) are not customer voice. Customer follow-ups often quote",
        "  the agent's reply below a line like `On Tue, Mar 3, 2026 at 9:14 AM Ledgerly Support <support@ledgerly.example> wrote:`",
        f"  followed by `> ` lines; {g.log['tickets_quoted_in_first']} first messages quote a Ledgerly notification the same way.",
        f"- {g.log['tickets_html']} ticket bodies are simple HTML (`<p>`, `<br>`, `&amp;`).",
        "- Signatures follow `Thanks,` / `Best regards,` / `Cheers,` / `Kind regards` or a `--` line, some with job title,",
        f"  company and phone number ({g.log['tickets_signature_with_contact']} tickets) or e-mail address.",
        f"- {g.log['tickets_pii_in_body']} tickets have personal data inside the message body (phone number, e-mail address, a card",
        "  test number or a bank account number). voc redacts these.",
        '- Some subjects repeat across tickets ("Question", "Follow up") as real help desks do.',
        "- Transcripts: `.md` files start with a `# Interview with ...` heading and an italic recording note, then",
        "  `**Name:** text` turns; a long answer may continue in a second paragraph with no speaker label.",
        "  `.vtt` files use `<v Name>...</v>` voice tags, some with numbered cues, one with a `NOTE` block, and long",
        "  answers spread over several consecutive cues of the same speaker. `.txt` files use `Interviewer:` / `Name:`",
        "  lines; `int-05-owner-jess.txt` uses `Q:` / `A:` instead. The interviewer is always `Interviewer` (or `Q`).",
        "- This README is not customer voice; voc should not ingest it.",
        "",
    ]
    return "\n".join(lines)


def print_summary(st: dict) -> None:
    print(f"wrote {OUT} and {TRUTH}")
    print(
        f"people: {st['n_people']}  nps rows: {st['n_nps']} ({st['nps_people']} people)  tickets: {st['n_tickets']} "
        f"({st['ticket_people']} requesters, {st['tickets_from_nps']} from NPS respondents)  transcripts: {st['n_iv']}"
    )
    print("group  people  share  nps_rows  tickets  interviews  NPS  median_arr")
    for grp, v in st["per"].items():
        print(
            f"  {grp}    {v['people']:4d}  {v['share']:5.1%}  {v['nps_rows']:8d}  {v['tickets']:7d}  {v['interviews']:10d}  "
            f"{v['nps']:+4d}  {v['arr_median']:>9,}"
        )
    print("noise: nps", st["noise_nps"], "tickets", st["noise_tickets"], "|", st["log"])


if __name__ == "__main__":
    sys.exit(main())
