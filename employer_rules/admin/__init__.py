"""The admin web application: administrators log in through the provider and manage
their organisations' rules; every change is audited."""
