#include "unit.h"

#include "vendorc/validate.h"

int
main(void)
{
	CHECK(!validate_dns_label("vendor-acme"));
	CHECK(!validate_dns_label("a"));
	CHECK(!validate_dns_label("0abc9"));
	CHECK(validate_dns_label("-acme"));
	CHECK(validate_dns_label("acme-"));
	CHECK(validate_dns_label("Acme"));
	CHECK(validate_dns_label("ac_me"));
	CHECK(validate_dns_label(""));
	CHECK(!validate_dns_label("a23456789012345678901234567890123456789012345678901234567890123"));
	CHECK(validate_dns_label("a234567890123456789012345678901234567890123456789012345678901234"));

	CHECK(!validate_cluster_domain("cluster.local"));
	CHECK(!validate_cluster_domain("k8s"));
	CHECK(!validate_cluster_domain("prod-1.example.internal"));
	CHECK(validate_cluster_domain("cluster.local."));
	CHECK(validate_cluster_domain("Cluster.local"));
	CHECK(validate_cluster_domain("*.local"));
	CHECK(validate_cluster_domain(""));
	CHECK(validate_cluster_domain("a..b"));
	CHECK(validate_cluster_domain("a234567890123456789012345678901234567890123456789012345678901234.local"));

	CHECK(!validate_cilium_name("API.acme_1-x.io.", false));
	CHECK(validate_cilium_name("*.acme.io", false));
	CHECK(!validate_cilium_name("*.acme.io", true));
	CHECK(!validate_cilium_name("*", true));
	CHECK(validate_cilium_name("acme.io/x", true));
	CHECK(validate_cilium_name("", false));

	CHECK(!validate_label_key("app"));
	CHECK(!validate_label_key("app.kubernetes.io/name"));
	CHECK(!validate_label_key("example.com/Team_Name.x"));
	CHECK(validate_label_key("Example.com/x"));
	CHECK(validate_label_key("/x"));
	CHECK(validate_label_key("example.com/"));
	CHECK(validate_label_key("a/b/c"));
	CHECK(validate_label_key("-app"));
	CHECK(validate_label_key(""));

	CHECK(!validate_label_value(""));
	CHECK(!validate_label_value("v1.2_3-x"));
	CHECK(validate_label_value("-x"));
	CHECK(validate_label_value("a b"));
	CHECK(validate_label_value("a234567890123456789012345678901234567890123456789012345678901234"));

	CHECK(!validate_port_name("http"));
	CHECK(!validate_port_name("h2c"));
	CHECK(!validate_port_name("web-metrics"));
	CHECK(!validate_port_name("x123456789abcde"));
	CHECK(validate_port_name("x123456789abcdef"));
	CHECK(validate_port_name("8080"));
	CHECK(validate_port_name("web--metrics"));
	CHECK(validate_port_name("-web"));
	CHECK(validate_port_name("web-"));
	CHECK(validate_port_name("HTTP"));

	CHECK(!validate_domain("api.acme.io"));
	CHECK(!validate_domain("*.ingest.acme.io"));
	CHECK(!validate_domain("API.Acme.IO"));
	CHECK(!validate_domain("xn--bcher-kva.example"));
	CHECK(validate_domain("localhost"));
	CHECK(validate_domain("api.*.acme.io"));
	CHECK(validate_domain("*acme.io"));
	CHECK(validate_domain("api.acme.io."));
	CHECK(validate_domain("-api.acme.io"));
	CHECK(validate_domain("203.0.113.7"));
	CHECK(validate_domain("a_b.acme.io"));

	CHECK(validate_yaml_plain("api"));
	CHECK(validate_yaml_plain("payments"));
	CHECK(validate_yaml_plain("secops@example.com"));
	CHECK(!validate_yaml_plain(""));
	CHECK(!validate_yaml_plain("yes"));
	CHECK(!validate_yaml_plain("on"));
	CHECK(!validate_yaml_plain("NULL"));
	CHECK(!validate_yaml_plain("~"));
	CHECK(!validate_yaml_plain("8080"));
	CHECK(!validate_yaml_plain("1.5"));
	CHECK(!validate_yaml_plain("-1"));
	CHECK(!validate_yaml_plain("2027-03-31"));
	CHECK(!validate_yaml_plain(".inf"));
	CHECK(!validate_yaml_plain("<<"));
	CHECK(!validate_yaml_plain("10.0.0.1"));
	CHECK(!validate_yaml_plain("1:20"));
	CHECK(!validate_yaml_plain("0x1F"));
	CHECK(!validate_yaml_plain("1e3"));
	CHECK(!validate_yaml_plain("2027-03-31T10:00:00Z"));
	CHECK(validate_yaml_plain("10.0.0.0/8"));
	CHECK(validate_yaml_plain("2001:db8::/32"));
	CHECK(validate_yaml_plain("8080-metrics"));
	CHECK(validate_yaml_plain("nullable"));
	CHECK(validate_yaml_plain("Yesterday"));
	CHECK(!validate_yaml_plain("FALSE"));
	validate_finish();
	/* The patterns compile again after finish. */
	CHECK(!validate_dns_label("again"));
	validate_finish();
	return unit_finish("validate");
}
