namespace Vigil.Config.Tests;

/// <summary>One config that uses every block vigil binds, for binding and round-trip tests.</summary>
internal static class FeatureRich
{
    public const string Text = """
        net_namespace blue
        use_pid_dir
        child_wait_time 7
        global_defs {
            router_id lb1
            notification_email {
                ops@example.com
                noc@example.com
            }
            notification_email_from kad@example.com
            smtp_server 10.77.0.25 2525
            smtp_connect_timeout 12
            smtp_alert on
            vrrp_version 3
            vrrp_garp_master_delay 3
            vrrp_garp_master_repeat 2
            vrrp_garp_interval 0.001
            vrrp_mcast_group4 224.0.0.19
            enable_script_security
            script_user nobody nogroup
            lvs_sync_daemon eth0 inst VI_1 id 9 port 8849
            vrrp_notify_fifo /run/vigil.fifo root
            vrrp_notify_fifo_script "/usr/bin/logger fifo"
            snmp_socket udp:1.2.3.4:705
            umask 022
        }
        static_ipaddress {
            10.77.0.200/24 dev eth1 scope link label eth1:st
        }
        static_routes {
            10.78.0.0/16 via 10.77.0.254 dev eth1 metric 5 table 10
            blackhole 10.79.0.0/16
        }
        static_rules {
            from 10.77.0.0/24 table 10 preference 100
        }
        track_group TG1 {
            group {
                VI_1
            }
        }
        linkbeat_interfaces {
            eth0 MII
            eth1
        }
        interface_up_down_delays {
            eth1 2 3
        }
        vrrp_script chk_web {
            script "/usr/local/bin/check web"
            interval 2
            weight -20 reverse
            rise 3
            fall 2
            user nobody
            init_fail
        }
        track_file tf1 {
            file /run/prio
            weight 5
            init_file 0 overwrite
        }
        vrrp_track_process nginx {
            process nginx -g daemon
            param_match partial
            weight 10
            quorum 2
            quorum_max 4
            delay 1.5
        }
        bfd_instance bfd1 {
            neighbor_ip 10.77.0.9
            source_ip 10.77.0.1
            min_rx 50
            multiplier 3
            weight -10
            vrrp
        }
        bfd_instance bfd2 {
            neighbor_ip 10.77.0.8
            checker
        }
        garp_group {
            garp_interval 0.01
            gna_interval 0.02
            interfaces {
                eth0
                eth1
            }
        }
        vrrp_instance VI_1 {
            state MASTER
            interface eth0
            virtual_router_id 51
            advert_int 0.5
            nopreempt
            virtual_ipaddress {
                10.77.0.10/24 dev eth1 brd 10.77.0.255 label eth1:vip scope global
                10.77.0.11 no_track
            }
            virtual_ipaddress_excluded {
                fd77::10/64 dev eth1
            }
            virtual_routes {
                10.80.0.0/16 via 10.77.0.254 dev eth1
                src 10.77.0.10 10.81.0.0/16 dev eth1 table 5
                10.82.0.0/16 nexthop via 10.77.0.252 dev eth1 weight 2 nexthop via 10.77.0.253 dev eth2
            }
            virtual_rules {
                from 10.77.0.10 table 5 preference 200
                to 10.90.0.0/16 table 6 preference 201 no_track
            }
            unicast_src_ip 10.77.0.1
            unicast_peer {
                10.77.0.2 min_ttl 250 max_ttl 255
                10.77.0.3
            }
            track_interface {
                eth1 weight -30
                eth2
            }
            track_script {
                chk_web weight 5
            }
            track_file {
                tf1
            }
            track_process {
                nginx weight 3 reverse
            }
            track_bfd {
                bfd1
            }
            garp_master_refresh 60
            garp_lower_prio_repeat 1
            notify_master "/usr/local/bin/notify master"
            notify_backup /usr/local/bin/notify-backup
            notify /usr/local/bin/notify-all
            notify_deleted
            smtp_alert
            debug 2
        }
        vrrp_instance VI_2 {
            interface eth1
            virtual_router_id 52
            priority 90
            version 2
            advert_int 2
            preempt_delay 10
            authentication {
                auth_type PASS
                auth_pass longpassword
            }
            virtual_ipaddress {
                10.77.0.20/24
            }
            no_accept
            use_vmac vrrp.52
            vmac_garp_intvl 30 all
        }
        vrrp_sync_group SG1 {
            group {
                VI_1
                VI_2
            }
            notify_master "/usr/local/bin/sg master"
            smtp_alert
        }
        SSL {
            ca /etc/ssl/ca.pem
            certificate /etc/ssl/cert.pem
            key /etc/ssl/key.pem
        }
        virtual_server_group VSG1 {
            10.77.0.100 80
            10.77.0.101-105 8080
            fwmark 7
        }
        virtual_server 10.77.0.10 80 {
            delay_loop 10
            lb_algo rr
            lb_kind DR
            protocol TCP
            persistence_timeout
            quorum 2
            hysteresis 1
            retry 4
            sorry_server 10.77.0.99 80
            virtualhost www.example.com
            real_server 10.77.0.31 80 {
                weight 3
                HTTP_GET {
                    url {
                        path /health
                        digest 0123456789abcdef0123456789ABCDEF
                        status_code 200 300-302
                    }
                    url {
                        path /
                    }
                    connect_timeout 3
                    http_protocol 1.1
                }
                TCP_CHECK {
                    connect_port 81
                    bindto 10.77.0.1
                }
            }
            real_server 10.77.0.32 80 {
                inhibit_on_failure
                notify_up "/bin/echo up"
                MISC_CHECK {
                    misc_path "/usr/local/bin/check rs2"
                    misc_dynamic
                }
                SMTP_CHECK {
                    helo_name me.example.com
                }
                DNS_CHECK {
                    type A
                    name example.com
                }
                PING_CHECK {
                }
                UDP_CHECK {
                    payload 0a0b
                    require_reply 0aXX
                }
                FILE_CHECK {
                    track_file tf1
                    weight 2
                }
                BFD_CHECK {
                    name bfd2
                }
                SSL_GET {
                    url {
                        path /secure
                    }
                    enable_sni
                }
            }
        }
        virtual_server fwmark 7 {
            lb_algo wlc
            lb_kind NAT
            real_server 10.77.0.41 0 {
                TCP_CHECK {
                }
            }
        }
        virtual_server group VSG1 {
            protocol UDP
            lb_algo sh
            sh-port
            lb_kind TUN type gue port 6080 csum
            real_server 10.77.0.51 53 {
                DNS_CHECK {
                }
            }
        }
        """;
}
