//! Which IP addresses are public: reachable on the internet and not one of
//! the ranges an attacker would aim at inside our network (loopback,
//! private, link-local — cloud metadata lives at 169.254.169.254 —,
//! carrier-grade NAT, multicast, documentation and reserved blocks), also
//! when written as one of the IPv6 forms that carry an IPv4 address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `addr` is a public unicast address.
pub fn is_public(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => is_public_v4(a),
        IpAddr::V6(a) => is_public_v6(a),
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [b0, b1, b2, _] = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_multicast()
        || a.is_documentation()
        || b0 == 0
        // Carrier-grade NAT, 100.64.0.0/10.
        || (b0 == 100 && (b1 & 0xc0) == 64)
        // IETF protocol assignments, 192.0.0.0/24.
        || (b0 == 192 && b1 == 0 && b2 == 0)
        // Benchmarking, 198.18.0.0/15.
        || (b0 == 198 && (b1 & 0xfe) == 18)
        // Reserved, 240.0.0.0/4.
        || b0 >= 240)
}

/// The IPv4 address in segments `hi` and `lo`.
fn v4(hi: u16, lo: u16) -> Ipv4Addr {
    let [x, y] = hi.to_be_bytes();
    let [z, w] = lo.to_be_bytes();
    Ipv4Addr::new(x, y, z, w)
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    // An IPv4 address in IPv6 clothing is judged as IPv4: mapped
    // (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d), compatible
    // (::a.b.c.d, deprecated), NAT64 (64:ff9b::a.b.c.d) and 6to4
    // (2002:aabb:ccdd::/48); a Teredo address (2001:0::/32) by both the
    // server and the client address it carries.
    if let Some(v4) = a.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = a.segments();
    let embedded = match s {
        [0, 0, 0, 0, 0xffff, 0, hi, lo] | [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(v4(hi, lo)),
        [0, 0, 0, 0, 0, 0, hi, lo] if (hi, lo) > (0, 1) => Some(v4(hi, lo)),
        [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        _ => None,
    };
    if let Some(v4) = embedded {
        return is_public_v4(v4);
    }
    if s[0] == 0x2001 && s[1] == 0 {
        return is_public_v4(v4(s[2], s[3])) && is_public_v4(v4(!s[6], !s[7]));
    }
    !(a.is_loopback()
        || a.is_unspecified()
        || a.is_multicast()
        || a.is_unique_local()
        || a.is_unicast_link_local()
        // Documentation, 2001:db8::/32.
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        // Site-local (deprecated, still routed inside some networks), fec0::/10.
        || (s[0] & 0xffc0) == 0xfec0
        // NAT64 for local use, 64:ff9b:1::/48: translates into the
        // operator's own IPv4 ranges.
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_ranges_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
            // Translated, compatible, NAT64 local use, 6to4, Teredo.
            "::ffff:0:7f00:1",
            "::ffff:0:a9fe:a9fe",
            "::10.0.0.1",
            "::127.0.0.1",
            "64:ff9b:1::a00:1",
            "2002:c0a8:101::1",
            "2002:7f00:1::",
            "2001:0:4136:e378:8000:63bf:f5ff:fffe",
            "2001:0:c0a8:101::1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a} counted as public");
        }
    }

    #[test]
    fn internet_addresses_are_public() {
        for a in [
            "93.184.215.14",
            "8.8.8.8",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "::8.8.8.8",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
        ] {
            assert!(is_public(a.parse().unwrap()), "{a} counted as private");
        }
    }
}
